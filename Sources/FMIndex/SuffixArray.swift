// Suffix array construction by induced sorting (SA-IS).
//
// Source: G. Nong, S. Zhang, W. H. Chan, "Two Efficient Algorithms for Linear Time Suffix
// Array Construction", IEEE Trans. Computers 2011 (DCC 2009 "Linear Suffix Array
// Construction by Almost Pure Induced-Sorting"), Section 3, Fig. 1 (the SA-IS algorithm):
// classify suffixes as S or L, sort the LMS substrings by induced sorting, name them,
// recurse on the reduced string if names repeat, then induce the full order from the
// sorted LMS suffixes.
//
// The reduced string has at most n/2 symbols, so the recursion depth is at most log2(n).
// Everything works on Int32 buffers through unsafe pointers: the reduced problem lives
// inside the suffix-array buffer itself, as in the paper, so the extra memory is one type
// byte per symbol and one bucket array per level.

/// Suffix array construction over integer alphabets (SA-IS, Nong, Zhang & Chan 2009).
///
/// ```swift
/// let sa = try SuffixArray.build([2, 1, 2, 1, 0])   // [4, 3, 1, 2, 0]
/// ```
public enum SuffixArray {
    /// The suffix array of `text`: the start positions of its suffixes in lexicographic order.
    ///
    /// A suffix that is a proper prefix of another sorts first. Runs in O(n + alphabet size).
    /// - Parameter text: symbols, each in `0...FMIndex.maximumTokenID`.
    /// - Returns: `n` positions in `0..<n`.
    /// - Throws: ``FMIndexError/tokenOutOfRange(document:position:token:)`` (document 0) for a
    ///   negative or too large symbol.
    public static func build(_ text: [Int32]) throws -> [Int32] {
        var largest: Int32 = 0
        for (position, symbol) in text.enumerated() {
            guard symbol >= 0, Int(symbol) <= FMIndex.maximumTokenID else {
                throw FMIndexError.tokenOutOfRange(document: 0, position: position, token: Int(symbol))
            }
            largest = max(largest, symbol)
        }
        // Shift by one and append a unique smallest sentinel, which SA-IS requires.
        var shifted = [Int32](repeating: 0, count: text.count + 1)
        for i in 0..<text.count { shifted[i] = text[i] &+ 1 }
        var suffixes = [Int32](repeating: 0, count: text.count + 1)
        shifted.withUnsafeBufferPointer { source in
            suffixes.withUnsafeMutableBufferPointer { target in
                induceSort(text: source.baseAddress!, suffixArray: target.baseAddress!,
                           count: text.count + 1, alphabetSize: Int(largest) + 2)
            }
        }
        return Array(suffixes.dropFirst())  // drop the sentinel suffix, which is always first
    }

    /// SA-IS over `text[0..<count]`, whose last symbol must be 0 and occur nowhere else.
    /// All symbols are in `0..<alphabetSize`.
    static func induceSort(
        text: UnsafePointer<Int32>, suffixArray: UnsafeMutablePointer<Int32>,
        count n: Int, alphabetSize: Int
    ) {
        if n == 1 { suffixArray[0] = 0; return }
        // Type of each suffix: 1 = S (smaller than its successor), 0 = L.
        let types = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        defer { types.deallocate() }
        types[n - 1] = 1
        types[n - 2] = 0
        var i = n - 3
        while i >= 0 {
            let a = text[i], b = text[i + 1]
            types[i] = (a < b || (a == b && types[i + 1] == 1)) ? 1 : 0
            i -= 1
        }
        @inline(__always) func isLMS(_ i: Int) -> Bool { i > 0 && types[i] == 1 && types[i - 1] == 0 }

        let buckets = Buckets(text: text, count: n, alphabetSize: alphabetSize)
        defer { buckets.deallocate() }
        let sa = suffixArray

        // Stage 1: place LMS suffixes at their bucket ends and induce to sort LMS substrings.
        for i in 0..<n { sa[i] = -1 }
        buckets.loadEnds()
        for i in 1..<n where isLMS(i) { sa[Int(buckets.decrement(text[i]))] = Int32(i) }
        induce(text: text, sa: sa, types: types, count: n, buckets: buckets)

        // Compact the sorted LMS substrings into sa[0..<lmsCount].
        var lmsCount = 0
        for i in 0..<n where isLMS(Int(sa[i])) {
            sa[lmsCount] = sa[i]
            lmsCount += 1
        }
        // Name them: equal LMS substrings get equal names. Names go to sa[lmsCount + pos/2],
        // which cannot collide because LMS positions are at least two apart.
        for i in lmsCount..<n { sa[i] = -1 }
        var nameCount = 0
        var previous = -1
        for i in 0..<lmsCount {
            let position = Int(sa[i])
            var differs = false
            var d = 0
            while true {
                if previous == -1 || text[position + d] != text[previous + d]
                    || types[position + d] != types[previous + d] {
                    differs = true
                    break
                } else if d > 0 && (isLMS(position + d) || isLMS(previous + d)) {
                    break
                }
                d += 1
            }
            if differs {
                nameCount += 1
                previous = position
            }
            sa[lmsCount + position / 2] = Int32(nameCount - 1)
        }
        var j = n - 1
        i = n - 1
        while i >= lmsCount {
            if sa[i] >= 0 { sa[j] = sa[i]; j -= 1 }
            i -= 1
        }

        // Stage 2: sort the reduced string, recursing only if some names repeat.
        let reduced = sa + (n - lmsCount)
        if nameCount < lmsCount {
            induceSort(text: UnsafePointer(reduced), suffixArray: sa, count: lmsCount, alphabetSize: nameCount)
        } else {
            for i in 0..<lmsCount { sa[Int(reduced[i])] = Int32(i) }
        }

        // Stage 3: map reduced ranks back to LMS positions, seed the buckets, induce.
        j = 0
        for i in 1..<n where isLMS(i) {
            reduced[j] = Int32(i)
            j += 1
        }
        for i in 0..<lmsCount { sa[i] = reduced[Int(sa[i])] }
        for i in lmsCount..<n { sa[i] = -1 }
        buckets.loadEnds()
        i = lmsCount - 1
        while i >= 0 {
            let position = sa[i]
            sa[i] = -1
            sa[Int(buckets.decrement(text[Int(position)]))] = position
            i -= 1
        }
        induce(text: text, sa: sa, types: types, count: n, buckets: buckets)
    }

    /// Induces L-type suffixes left to right from bucket starts, then S-type suffixes right
    /// to left from bucket ends (the paper's induceSAl and induceSAs).
    private static func induce(
        text: UnsafePointer<Int32>, sa: UnsafeMutablePointer<Int32>, types: UnsafeMutablePointer<UInt8>,
        count n: Int, buckets: Buckets
    ) {
        buckets.loadStarts()
        let slots = buckets.slots
        for i in 0..<n {
            let j = Int(sa[i]) &- 1
            if j >= 0 && types[j] == 0 {
                let symbol = Int(text[j])
                sa[Int(slots[symbol])] = Int32(truncatingIfNeeded: j)
                slots[symbol] &+= 1
            }
        }
        buckets.loadEnds()
        var i = n - 1
        while i >= 0 {
            let j = Int(sa[i]) &- 1
            if j >= 0 && types[j] == 1 {
                let symbol = Int(text[j])
                slots[symbol] &-= 1
                sa[Int(slots[symbol])] = Int32(truncatingIfNeeded: j)
            }
            i -= 1
        }
    }
}

/// Symbol counts of one SA-IS level and a scratch array of bucket heads or tails.
private struct Buckets {
    let counts: UnsafeMutablePointer<Int32>
    let slots: UnsafeMutablePointer<Int32>
    let alphabetSize: Int

    init(text: UnsafePointer<Int32>, count n: Int, alphabetSize: Int) {
        self.alphabetSize = alphabetSize
        counts = .allocate(capacity: alphabetSize)
        counts.initialize(repeating: 0, count: alphabetSize)
        slots = .allocate(capacity: alphabetSize)
        slots.initialize(repeating: 0, count: alphabetSize)
        for i in 0..<n { counts[Int(text[i])] &+= 1 }
    }

    func loadStarts() {
        var sum: Int32 = 0
        for c in 0..<alphabetSize {
            slots[c] = sum
            sum &+= counts[c]
        }
    }

    func loadEnds() {
        var sum: Int32 = 0
        for c in 0..<alphabetSize {
            sum &+= counts[c]
            slots[c] = sum
        }
    }

    /// Moves the symbol's slot one left and returns it.
    @inline(__always) func decrement(_ symbol: Int32) -> Int32 {
        slots[Int(symbol)] &-= 1
        return slots[Int(symbol)]
    }

    func deallocate() {
        counts.deallocate()
        slots.deallocate()
    }
}
