// Times the regex benchmark cases with RE2, in the format of `rampart regex bench`, so that
// scripts/bench-regex.sh can print both side by side from one run.
// Build: g++ -O2 -std=c++17 re2_cases.cc -lre2 -o re2_cases   (libre2-dev)
// Usage: re2_cases CASES.tsv [MIN_MS]        (name<TAB>case_insensitive<TAB>pattern<TAB>input file)
//        re2_cases --set PATTERNS.tsv VALUES.txt   (case_insensitive<TAB>pattern; one escaped value per line)
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static std::vector<std::string> split(const std::string& line, char separator, size_t max_fields) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (fields.size() + 1 < max_fields) {
    size_t tab = line.find(separator, start);
    if (tab == std::string::npos) break;
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.push_back(line.substr(start));
  return fields;
}

static std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

static std::string unescape(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); i++) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      char c = line[++i];
      out += (c == 'n' ? '\n' : c);
    } else {
      out += line[i];
    }
  }
  return out;
}

static RE2::Options options_for(bool case_insensitive) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  return options;
}

static int run_cases(const char* path, int min_ms) {
  std::ifstream cases(path);
  std::string line;
  while (std::getline(cases, line)) {
    if (line.empty()) continue;
    auto fields = split(line, '\t', 4);
    if (fields.size() != 4) { std::cerr << "bad case line: " << line << "\n"; return 2; }
    RE2 re(fields[2], options_for(fields[1] == "1"));
    if (!re.ok()) { std::cerr << fields[0] << ": " << re.error() << "\n"; return 2; }
    std::string input = read_file(fields[3]);
    double best = 1e18;
    int runs = 0;
    bool sink = false;
    auto deadline = Clock::now() + std::chrono::milliseconds(min_ms);
    while (runs < 3 || Clock::now() < deadline) {
      auto start = Clock::now();
      sink ^= RE2::PartialMatch(input, re);
      best = std::min(best, std::chrono::duration<double, std::nano>(Clock::now() - start).count());
      runs++;
    }
    re2::StringPiece match;
    std::string span = "-1";
    if (re.Match(input, 0, input.size(), RE2::UNANCHORED, &match, 1)) {
      size_t begin = match.data() - input.data();
      span = std::to_string(begin) + "," + std::to_string(begin + match.size());
    }
    printf("%s\t%lld\t%s\n", fields[0].c_str(), static_cast<long long>(best), span.c_str());
    if (sink && runs < 0) printf("\n");
  }
  return 0;
}

static int run_set(const char* patterns_path, const char* values_path) {
  std::vector<std::unique_ptr<RE2>> regexes;
  RE2::Set set_ci(options_for(true), RE2::UNANCHORED), set_cs(options_for(false), RE2::UNANCHORED);
  std::ifstream patterns(patterns_path);
  std::string line;
  auto t0 = Clock::now();
  while (std::getline(patterns, line)) {
    auto fields = split(line, '\t', 2);
    if (fields.size() != 2) continue;
    bool ci = fields[0] == "1";
    auto re = std::make_unique<RE2>(fields[1], options_for(ci));
    if (!re->ok()) continue;
    regexes.push_back(std::move(re));
    (ci ? set_ci : set_cs).Add(fields[1], nullptr);
  }
  set_ci.Compile();
  set_cs.Compile();
  auto t1 = Clock::now();
  std::vector<std::string> values;
  std::ifstream value_file(values_path);
  size_t bytes = 0;
  while (std::getline(value_file, line)) { values.push_back(unescape(line)); bytes += values.back().size(); }
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  double best_rule = 1e18, best_set = 1e18;
  long per_rule = 0, per_set = 0;
  for (int rep = 0; rep < 3; rep++) {
    auto start = Clock::now();
    per_rule = 0;
    for (auto& v : values) for (auto& r : regexes) per_rule += RE2::PartialMatch(v, *r);
    best_rule = std::min(best_rule, ms(start, Clock::now()));
  }
  std::vector<int> hits;
  for (int rep = 0; rep < 3; rep++) {
    auto start = Clock::now();
    per_set = 0;
    for (auto& v : values) {
      hits.clear();
      if (set_ci.Match(v, &hits)) per_set += hits.size();
      hits.clear();
      if (set_cs.Match(v, &hits)) per_set += hits.size();
    }
    best_set = std::min(best_set, ms(start, Clock::now()));
  }
  printf("patterns=%zu values=%zu bytes=%zu compile_ms=%.1f\n", regexes.size(), values.size(), bytes, ms(t0, t1));
  printf("per-rule RE2: %.1f ms per corpus pass (%ld pattern matches)\n", best_rule, per_rule);
  printf("RE2::Set:     %.1f ms per corpus pass (%ld pattern matches)\n", best_set, per_set);
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "--set") return run_set(argv[2], argv[3]);
  if (argc >= 2) return run_cases(argv[1], argc >= 3 ? atoi(argv[2]) : 200);
  std::cerr << "usage: re2_cases CASES.tsv [MIN_MS] | re2_cases --set PATTERNS.tsv VALUES.txt\n";
  return 2;
}
