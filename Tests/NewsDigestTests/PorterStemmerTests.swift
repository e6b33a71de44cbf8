import Testing

@testable import NewsDigest

/// Expected stems are worked out by hand from the rules of Porter's 1980 paper
/// ("An algorithm for suffix stripping"), most of them the paper's own examples, not taken
/// from running the stemmer.
private let publishedStems: [(String, String)] = [
    // Step 1a: plural -s, with -sses and -ies kept distinct from a plain -s.
    ("caresses", "caress"),
    ("ponies", "poni"),
    ("ties", "ti"),
    ("caress", "caress"),
    ("cats", "cat"),
    ("ies", "i"),
    // Step 1b: -eed only with m>0; -ed/-ing only when the stem has a vowel; then the repair rules.
    ("feed", "feed"),
    ("agreed", "agre"),
    ("plastered", "plaster"),
    ("bled", "bled"),
    ("motoring", "motor"),
    ("sing", "sing"),
    ("conflated", "conflat"),
    ("troubled", "troubl"),
    ("sized", "size"),
    ("hopping", "hop"),
    ("tanned", "tan"),
    ("falling", "fall"),
    ("hissing", "hiss"),
    ("fizzed", "fizz"),
    ("failing", "fail"),
    ("filing", "file"),
    ("connected", "connect"),
    // Step 1c: y -> i only when the stem has a vowel.
    ("happy", "happi"),
    ("sky", "sky"),
    // Step 2: double suffixes to single ones (m>0).
    ("relational", "relat"),
    ("conditional", "condit"),
    ("rational", "ration"),
    ("valenci", "valenc"),
    ("digitizer", "digit"),
    ("conformabli", "conform"),
    ("radicalli", "radic"),
    ("differentli", "differ"),
    ("vileli", "vile"),
    ("analogousli", "analog"),
    ("vietnamization", "vietnam"),
    ("predication", "predic"),
    ("operator", "oper"),
    ("feudalism", "feudal"),
    ("decisiveness", "decis"),
    ("hopefulness", "hope"),
    ("callousness", "callous"),
    ("formaliti", "formal"),
    ("sensitiviti", "sensit"),
    ("sensibiliti", "sensibl"),
    // Step 3: -ic-, -full, -ness and friends (m>0).
    ("triplicate", "triplic"),
    ("formative", "form"),
    ("formalize", "formal"),
    ("electriciti", "electr"),
    ("electrical", "electr"),
    ("hopeful", "hope"),
    ("goodness", "good"),
    ("happiness", "happi"),
    // Step 4: single suffixes off long stems (m>1); -ion only after s or t.
    ("revival", "reviv"),
    ("allowance", "allow"),
    ("inference", "infer"),
    ("airliner", "airlin"),
    ("gyroscopic", "gyroscop"),
    ("adjustable", "adjust"),
    ("defensible", "defens"),
    ("irritant", "irrit"),
    ("replacement", "replac"),
    ("adjustment", "adjust"),
    ("dependent", "depend"),
    ("adoption", "adopt"),
    ("homologou", "homolog"),
    ("communism", "commun"),
    ("activate", "activ"),
    ("angulariti", "angular"),
    ("homologous", "homolog"),
    ("effective", "effect"),
    ("bowdlerize", "bowdler"),
    ("connection", "connect"),
    ("onion", "onion"),
    // Step 5a/5b: final -e unless the stem is a short cvc; -ll to -l on long stems.
    ("probate", "probat"),
    ("rate", "rate"),
    ("cease", "ceas"),
    ("controll", "control"),
    ("roll", "roll"),
    // Several steps in a row, and the words the scorer cares about.
    ("generalizations", "gener"),
    ("oscillators", "oscil"),
    ("rebels", "rebel"),
    ("troubles", "troubl"),
    ("says", "sai"),
    ("said", "said"),
]

/// Digits, capitals, punctuation, non-ASCII, and words of two letters or fewer come back as is.
private let untouched: [String] = [
    "covid19", "1990s", "Rebels", "RUNNING", "café", "naïve", "e-mails", "don't", "", "a", "is", "as", "by", "ss",
]

@Suite struct PorterStemmerTests {
    @Test(arguments: publishedStems)
    func stemsAsThePaperSays(word: String, expected: String) {
        #expect(PorterStemmer.stem(word) == expected)
        #expect(PorterStemmer.stem(Array(word.utf8)) == Array(expected.utf8))
    }

    @Test(arguments: untouched)
    func leavesNonLettersAndShortWordsAlone(word: String) {
        #expect(PorterStemmer.stem(word) == word)
        #expect(PorterStemmer.stem(Array(word.utf8)) == Array(word.utf8))
    }

    @Test func stemmingAStemIsHarmlessForCommonWords() {
        // Scoring may stem text that was already stemmed once; these stems must be fixed points.
        for stem in ["rebel", "connect", "adjust", "hope", "fall"] {
            #expect(PorterStemmer.stem(stem) == stem)
        }
    }
}
