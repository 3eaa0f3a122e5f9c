import NGramRetrieval
import Testing

/// `EnglishStemmer` against PyStemmer's Snowball `english` stemmer (PyStemmer 3.1), the stemmer of
/// the BM25 peer. Expected stems come from `python3 scripts/stem_pairs.py --swift WORD...`; each test
/// covers one step or exception of the algorithm. (The stemmer also agrees with PyStemmer on all
/// 25,603 distinct lowercase words of the SQuAD v1.1 dev corpus and queries.)
@Suite struct EnglishStemmerTests {
    /// "word -> got, expected stem" for each pair the stemmer gets wrong.
    private func mismatches(_ pairs: [(String, String)]) -> [String] {
        pairs.compactMap { word, stem in
            let got = EnglishStemmer.stem(word)
            return got == stem ? nil : "\(word) -> \(got), expected \(stem)"
        }
    }

    /// Exceptional forms: fixed stems and invariant words, and dying/lying/tying (step 1b).
    @Test func exceptionalForms() {
        #expect(mismatches([
            ("skis", "ski"), ("skies", "sky"), ("sky", "sky"), ("idly", "idl"), ("gently", "gentl"),
            ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("news", "news"),
            ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
            ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("vying", "vie"),
        ]) == [])
    }

    /// R1/R2, with the gener/commun/arsen/past/univers/later/emerg/organ/inter prefixes.
    @Test func regions() {
        #expect(mismatches([
            ("generously", "generous"), ("generation", "generat"), ("generate", "generat"),
            ("general", "general"), ("generic", "generic"), ("communism", "communism"),
            ("communication", "communic"), ("community", "communiti"), ("arsenal", "arsenal"),
            ("arsenic", "arsenic"), ("past", "past"), ("paste", "paste"), ("pasted", "paste"),
            ("pasting", "paste"), ("universe", "univers"), ("universal", "universal"),
            ("university", "universiti"), ("lateral", "lateral"), ("later", "later"), ("emerge", "emerg"),
            ("emergency", "emergenc"), ("organ", "organ"), ("organic", "organic"), ("organization", "organiz"),
            ("intern", "intern"), ("internal", "internal"), ("international", "internat"),
            ("interval", "interval"), ("beautiful", "beauti"), ("beauty", "beauti"),
            ("animadversion", "animadvers"),
        ]) == [])
    }

    /// Prelude: initial apostrophe dropped; y at the start or after a vowel is a consonant (Y), back to y at the end.
    @Test func yMarking() {
        #expect(mismatches([
            ("youth", "youth"), ("yes", "yes"), ("'yes", "yes"), ("sayings", "say"), ("enjoying", "enjoy"),
            ("player", "player"), ("toying", "toy"), ("boyish", "boyish"), ("buyer", "buyer"),
            ("employ", "employ"), ("employment", "employ"), ("yearly", "year"), ("journeys", "journey"),
        ]) == [])
    }

    /// Step 1a: a final ', 's or 's' goes; sses -> ss; ied/ies -> i or ie; s goes after an earlier vowel.
    @Test func step1a() {
        #expect(mismatches([
            ("bob's", "bob"), ("dogs'", "dog"), ("children's", "children"), ("'tis", "tis"),
            ("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("cries", "cri"), ("tied", "tie"),
            ("cried", "cri"), ("gas", "gas"), ("gaps", "gap"), ("kiwis", "kiwi"), ("this", "this"),
            ("us", "us"), ("bus", "bus"), ("consensus", "consensus"), ("caress", "caress"), ("class", "class"),
            ("lens", "len"), ("its", "it"),
        ]) == [])
    }

    /// Exceptions after step 1a: inning, outing, canning, herring, earring, evening, proceed, exceed, succeed.
    @Test func step1bExceptions() {
        #expect(mismatches([
            ("inning", "inning"), ("innings", "inning"), ("outing", "outing"), ("canning", "canning"),
            ("herring", "herring"), ("earring", "earring"), ("evening", "evening"), ("evenings", "evening"),
            ("proceed", "proceed"), ("exceed", "exceed"), ("succeed", "succeed"), ("proceeded", "proceed"),
            ("exceeded", "exceed"), ("succeeded", "succeed"), ("succeeding", "succeed"),
            ("proceedings", "proceed"), ("beginning", "begin"),
        ]) == [])
    }

    /// Step 1b: eed/eedly in R1; ed/edly/ing/ingly after a vowel, then at/bl/iz + e, undoubling, short word + e.
    @Test func step1b() {
        #expect(mismatches([
            ("feed", "feed"), ("agreed", "agre"), ("agreedly", "agre"), ("bleed", "bleed"),
            ("plastered", "plaster"), ("bled", "bled"), ("motoring", "motor"), ("sing", "sing"),
            ("hopping", "hop"), ("hopped", "hop"), ("hoped", "hope"), ("hoping", "hope"), ("tanned", "tan"),
            ("fizzed", "fizz"), ("failing", "fail"), ("filing", "file"), ("luxuriating", "luxuri"),
            ("troubled", "troubl"), ("sized", "size"), ("conflated", "conflat"), ("added", "add"),
            ("egged", "egg"), ("hissing", "hiss"), ("falling", "fall"), ("snowed", "snow"), ("boxed", "box"),
            ("played", "play"), ("exceedingly", "exceed"), ("interestingly", "interest"), ("rated", "rate"),
            ("shed", "shed"), ("coding", "code"), ("cared", "care"),
        ]) == [])
    }

    /// Step 1c: final y after a non-vowel that is not the first letter.
    @Test func step1c() {
        #expect(mismatches([
            ("cry", "cri"), ("say", "say"), ("happy", "happi"), ("fly", "fli"), ("flying", "fli"),
            ("enjoy", "enjoy"), ("try", "tri"), ("tried", "tri"), ("trying", "tri"),
        ]) == [])
    }

    /// Step 2: derivational suffixes in R1, including ogist, ogi after l and li after a valid letter.
    @Test func step2() {
        #expect(mismatches([
            ("rational", "ration"), ("relational", "relat"), ("conditional", "condit"), ("operational", "oper"),
            ("valency", "valenc"), ("hesitancy", "hesit"), ("digitizer", "digit"), ("digitization", "digit"),
            ("operation", "oper"), ("operator", "oper"), ("feudalism", "feudal"), ("formality", "formal"),
            ("radically", "radic"), ("hopefulness", "hope"), ("gracefully", "grace"),
            ("hopelessly", "hopeless"), ("fluently", "fluentli"), ("dangerously", "danger"),
            ("callousness", "callous"), ("decisiveness", "decis"), ("sensitivity", "sensit"),
            ("sensibility", "sensibl"), ("possibly", "possibl"), ("geologist", "geolog"), ("biology", "biolog"),
            ("analogy", "analog"), ("apology", "apolog"), ("pedagogy", "pedagogi"), ("quickly", "quick"),
            ("brightly", "bright"), ("happily", "happili"), ("lovely", "love"), ("cheerfully", "cheer"),
        ]) == [])
    }

    /// Step 3: alize, icate/iciti/ical, ful, ness in R1; ative in R2.
    @Test func step3() {
        #expect(mismatches([
            ("formalize", "formal"), ("formalizing", "formal"), ("electrical", "electr"),
            ("electricity", "electr"), ("authenticate", "authent"), ("hopeful", "hope"), ("goodness", "good"),
            ("demonstrative", "demonstr"), ("creative", "creativ"), ("additional", "addit"),
            ("sensational", "sensat"),
        ]) == [])
    }

    /// Step 4: suffixes in R2; ion only after s or t.
    @Test func step4() {
        #expect(mismatches([
            ("revival", "reviv"), ("allowance", "allow"), ("inference", "infer"), ("airliner", "airlin"),
            ("gyroscopic", "gyroscop"), ("adjustable", "adjust"), ("defensible", "defens"),
            ("irritant", "irrit"), ("replacement", "replac"), ("adjustment", "adjust"), ("dependent", "depend"),
            ("activate", "activ"), ("angularity", "angular"), ("homologous", "homolog"),
            ("effective", "effect"), ("bowdlerize", "bowdler"), ("adoption", "adopt"), ("explosion", "explos"),
            ("dominion", "dominion"), ("lion", "lion"),
        ]) == [])
    }

    /// Step 5: e in R2 or in R1 after no short syllable; ll in R2.
    @Test func step5() {
        #expect(mismatches([
            ("probate", "probat"), ("rate", "rate"), ("cease", "ceas"), ("controlled", "control"),
            ("roll", "roll"), ("fell", "fell"), ("generate", "generat"),
        ]) == [])
    }

    /// Words of the SQuAD v1.1 dev corpus and queries.
    @Test func squadWords() {
        #expect(mismatches([
            ("represented", "repres"), ("broncos", "bronco"), ("panthers", "panther"),
            ("championship", "championship"), ("defeated", "defeat"), ("determine", "determin"),
            ("league", "leagu"), ("season", "season"), ("earned", "earn"), ("golden", "golden"),
            ("themed", "theme"), ("initiatives", "initi"), ("anniversary", "anniversari"),
            ("emphasized", "emphas"), ("traditional", "tradit"), ("numerals", "numer"),
            ("respectively", "respect"), ("suspended", "suspend"), ("stadium", "stadium"), ("1970s", "1970s"),
            ("2015", "2015"), ("nfl", "nfl"), ("levi's", "levi"),
        ]) == [])
    }

    /// Non-ASCII letters count as non-vowels and never trap; words of one or two characters
    /// come back unchanged.
    @Test func nonASCIIAndShortWords() {
        #expect(mismatches([
            ("café", "café"), ("naïve", "naïv"), ("résumés", "résumé"), ("日本語", "日本語"), ("bob’s", "bob’"),
            ("'''", "'"), ("''''", "''"),
        ]) == [])
        #expect(EnglishStemmer.stem("Zürich".lowercased()) == "zürich")
        for word in ["", "a", "is", "us", "ys", "'s", "é", "日本"] {
            #expect(EnglishStemmer.stem(word) == word)
        }
    }
}
