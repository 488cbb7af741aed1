/// RampartRegex: a regular expression engine with RE2's syntax and a linear-time guarantee.
///
/// Patterns go through a pipeline of small stages: `Syntax/` parses RE2 syntax into an `HIR` with every flag
/// resolved; `Compile/` turns it into a Thompson NFA over UTF-8 bytes; `Engines/` run it — a literal prefilter,
/// a lazy DFA with a bounded state cache, and a Pike VM that reports spans. No input can make matching
/// super-linear, which is what lets a WAF run attacker-chosen input through it.
public enum RampartRegexModule {}
