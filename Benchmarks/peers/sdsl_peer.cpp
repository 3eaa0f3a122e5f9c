// Peer of `bench retrieve`: sdsl-lite's csa_wt_int<> (the FM-index type SEAL uses) over the
// same token text and patterns as NextToken's FMIndex. Own code; links against Debian's
// libsdsl-dev (2.1.1).
//
// Build (the bench does this when the binary is missing):
//   c++ -O3 -DNDEBUG -std=c++17 Benchmarks/peers/sdsl_peer.cpp -o /tmp/nexttoken-sdsl-peer \
//       -lsdsl -ldivsufsort -ldivsufsort64
// Run: sdsl_peer TEXT PATTERNS REPEATS   (run inside a scratch folder: sdsl writes temporary files there)
//   TEXT: uint32 little-endian symbols, >= 1 (the bench writes token + 2, separator 1, as
//         NextToken lays out its index: every document reversed, then a separator).
//   PATTERNS: lines "count|next L s1 ... sL" in reading order (token + 2); reversed here,
//         since the text holds reversed documents, so interval_symbols gives next tokens.
// Prints one JSON object on stdout.
#include <sdsl/suffix_arrays.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
using namespace sdsl;
using namespace std;
using clk = chrono::steady_clock;
static double secs(clk::time_point a, clk::time_point b) { return chrono::duration<double>(b - a).count(); }

int main(int argc, char** argv) {
    if (argc < 4) { cerr << "usage: sdsl_peer TEXT PATTERNS REPEATS" << endl; return 2; }
    string textFile = argv[1], patternFile = argv[2];
    int repeats = max(1, atoi(argv[3]));
    int_vector<> ids; load_vector_from_file(ids, textFile, 4);
    vector<double> builds;
    csa_wt_int<> csa;
    for (int r = 0; r < repeats; ++r) {
        csa_wt_int<> fresh;
        auto t0 = clk::now();
        construct(fresh, textFile, 4);
        auto t1 = clk::now();
        builds.push_back(secs(t0, t1));
        if (r == repeats - 1) csa = std::move(fresh);
    }
    sort(builds.begin(), builds.end());
    double build = builds[builds.size() / 2];

    map<pair<string, int>, vector<vector<uint64_t>>> groups;
    ifstream in(patternFile);
    string line;
    while (getline(in, line)) {
        istringstream fields(line);
        string kind; int length;
        if (!(fields >> kind >> length)) continue;
        vector<uint64_t> pattern(length);
        for (auto& s : pattern) fields >> s;
        reverse(pattern.begin(), pattern.end());
        groups[{kind, length}].push_back(pattern);
    }
    cout << "{\"tokens\": " << ids.size() << ", \"build_seconds\": " << build
         << ", \"size_bytes\": " << size_in_bytes(csa) << ", \"sigma\": " << csa.sigma;
    vector<uint64_t> cs(csa.wavelet_tree.sigma), ri(csa.wavelet_tree.sigma), rj(csa.wavelet_tree.sigma);
    for (auto& [key, patterns] : groups) {
        size_t total = 0;
        double best = 1e30;
        for (int rep = 0; rep < 5; ++rep) {  // best of 5 passes over the patterns
            total = 0;
            auto t0 = clk::now();
            for (auto& p : patterns) {
                if (key.first == "count") {
                    total += count(csa, p.begin(), p.end());
                } else {
                    uint64_t l = 0, r = csa.size() - 1;
                    if (!p.empty()) backward_search(csa, 0, csa.size() - 1, p.begin(), p.end(), l, r);
                    uint64_t k = 0;
                    if (l <= r) interval_symbols(csa.wavelet_tree, l, r + 1, k, cs, ri, rj);
                    total += k;
                }
            }
            best = min(best, secs(t0, clk::now()));
        }
        cout << ", \"" << key.first << "_" << key.second << "_us\": " << best / patterns.size() * 1e6
             << ", \"" << key.first << "_" << key.second << "_mean\": " << double(total) / patterns.size();
    }
    cout << "}" << endl;
    return 0;
}
