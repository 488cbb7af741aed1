/// RampartWAF: the in-app WAF engine — rules, addresses, operators, transformers and injection detectors.
///
/// How a call is evaluated (`WAFContext.run`, in `Evaluation/`):
/// - Conditions reading the same address, key path, transformers and source form scan groups; the groups reading
///   one place form an `AddressScan`, which walks a value once for all of them (transformer chains as a prefix
///   tree, every group's regexes in one `RegexSet`). Strings found clean are remembered (`CleanValueCache`).
/// - Rules whose conditions are all scan-served scalar operators (most rules) are "hit-driven": decided from what
///   the scans found, with libddwaf's short circuit kept. Other rules (structured RASP operators, `exists`,
///   negations, rules targeted by exclusions) take their conditions one by one.
/// - A context keeps its data, the rules that fired and the condition matches across calls; ephemeral data
///   (RASP operations) counts for its call only.
public enum RampartWAFModule {}
