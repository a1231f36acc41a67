/// Whether a prompt asks for the model's reasoning written out, judged from
/// *families of word stems* rather than from phrases.
///
/// A phrase list ("chain of thought", "show your reasoning") is what a
/// paraphrasing campaign rewords first. Rewording keeps the meaning, and the
/// meaning of "write out how you reasoned" needs words from several of a few
/// concept families: the reasoning itself (reason, think, thought, logic), its
/// unfolding (step, intermediate, process, chain, trace), its exposure (show,
/// write out, explain, walk through, verbalise) and its completeness (full,
/// every, detailed). A prompt matches when it has a *core* family (reasoning
/// or unfolding-as-process) and at least three families in all. "Explain step
/// by step" (tutoring) has two; "lay out every intermediate thought before
/// you answer" has four. Stems are matched as word prefixes, so inflections
/// and compounds match ("reasoning", "razonamiento", "Denkprozess"), in
/// English, Spanish, French, German, Italian, Portuguese and Russian; Chinese,
/// Japanese and Korean, written without spaces, are matched as substrings.
/// All stems were written for Aegis.
struct ReasoningCues: Sendable {
    /// Concept families, one bit each.
    enum Family: UInt8, CaseIterable {
        case reasoning = 0, unfolding, exposure, completeness, process
    }

    /// Families that must be present for a match: the request is about reasoning, not only about steps.
    static let coreMask: UInt8 = 1 << Family.reasoning.rawValue | 1 << Family.process.rawValue

    private static let stems: [(String, Family)] = [
        // The reasoning itself.
        ("reason", .reasoning), ("think", .reasoning), ("thought", .reasoning), ("logic", .reasoning),
        ("deliberat", .reasoning), ("rationale", .reasoning), ("cognit", .reasoning), ("ponder", .reasoning),
        ("razon", .reasoning), ("pensam", .reasoning), ("pensa", .reasoning), ("pensé", .reasoning),
        ("raison", .reasoning), ("réflex", .reasoning), ("reflex", .reasoning), ("ragion", .reasoning),
        ("pensier", .reasoning), ("racioc", .reasoning), ("denk", .reasoning), ("gedank", .reasoning),
        ("überleg", .reasoning), ("Überleg", .reasoning), ("begründ", .reasoning), ("рассужд", .reasoning), ("размышл", .reasoning),
        ("мысл", .reasoning), ("логик", .reasoning),
        // Its unfolding.
        ("step", .unfolding), ("before", .unfolding), ("stage", .unfolding), ("intermediat", .unfolding), ("sequen", .unfolding),
        ("paso", .unfolding), ("étape", .unfolding), ("etapa", .unfolding), ("schritt", .unfolding),
        ("passo", .unfolding), ("passag", .unfolding), ("intermedi", .unfolding), ("zwischen", .unfolding),
        ("шаг", .unfolding), ("этап", .unfolding), ("промежут", .unfolding),
        // The process as an object.
        ("process", .process), ("chain", .process), ("trace", .process), ("scratch", .process),
        ("monolog", .process), ("derivation", .process), ("workings", .process), ("trajector", .process),
        ("proceso", .process), ("cadena", .process), ("processus", .process), ("chaîne", .process),
        ("cheminement", .process), ("prozess", .process), ("kette", .process), ("processo", .process),
        ("catena", .process), ("процесс", .process), ("цепочк", .process),
        // Its exposure.
        ("show", .exposure), ("write", .exposure), ("writt", .exposure), ("spell", .exposure), ("walk", .exposure),
        ("explain", .exposure), ("narrat", .exposure), ("verbali", .exposure), ("articulat", .exposure),
        ("expose", .exposure), ("reveal", .exposure), ("display", .exposure), ("outline", .exposure),
        ("transcri", .exposure), ("justif", .exposure),
        ("muestr", .exposure), ("mostr", .exposure), ("escrib", .exposure), ("explic", .exposure),
        ("montr", .exposure), ("écri", .exposure), ("expliqu", .exposure), ("détaill", .exposure),
        ("zeig", .exposure), ("schreib", .exposure), ("erklär", .exposure), ("darleg", .exposure),
        ("scriv", .exposure), ("spieg", .exposure), ("escrev", .exposure), ("покаж", .exposure),
        ("напиш", .exposure), ("объясн", .exposure), ("распиш", .exposure), ("излож", .exposure),
        // Its completeness.
        ("full", .completeness), ("complet", .completeness), ("entire", .completeness), ("every", .completeness),
        ("each", .completeness), ("detail", .completeness), ("thorough", .completeness), ("exhaust", .completeness),
        ("verbatim", .completeness), ("unabridg", .completeness), ("whole", .completeness), 
        ("todo", .completeness), ("toda", .completeness), ("cada", .completeness), ("chaque", .completeness),
        ("tout", .completeness), ("jede", .completeness), ("gesamt", .completeness), ("vollständ", .completeness),
        ("ogni", .completeness), ("tutt", .completeness), ("полн", .completeness), ("кажд", .completeness),
        ("весь", .completeness), ("подробн", .completeness), ("ausführ", .completeness),
    ]

    private static let substrings: [(String, Family)] = [
        ("推理", .reasoning), ("思考", .reasoning), ("思路", .reasoning), ("考え", .reasoning), ("추론", .reasoning),
        ("생각", .reasoning), ("步骤", .unfolding), ("逐步", .unfolding), ("一步", .unfolding), ("中间", .unfolding),
        ("ステップ", .unfolding), ("段階", .unfolding), ("途中", .unfolding), ("단계", .unfolding), ("过程", .process),
        ("過程", .process), ("链", .process), ("과정", .process), ("写出", .exposure), ("展示", .exposure),
        ("解释", .exposure), ("説明", .exposure), ("示し", .exposure), ("설명", .exposure), ("보여", .exposure),
        ("完整", .completeness), ("详细", .completeness), ("每", .completeness), ("全て", .completeness),
        ("詳し", .completeness), ("모든", .completeness), ("자세", .completeness),
    ]

    /// Stems by first byte, as UTF-8.
    private let byFirstByte: [[([UInt8], UInt8)]]
    private let cjk: [([UInt8], UInt8)]

    init() {
        var table = [[([UInt8], UInt8)]](repeating: [], count: 256)
        for (stem, family) in Self.stems {
            let bytes = Array(stem.utf8)
            table[Int(bytes[0])].append((bytes, 1 << family.rawValue))
        }
        byFirstByte = table
        cjk = Self.substrings.map { (Array($0.0.utf8), 1 << $0.1.rawValue) }
    }

    /// The families found in a prompt (bit per ``Family``).
    func families(_ bytes: UnsafeBufferPointer<UInt8>, nonASCII: Bool) -> UInt8 {
        var found: UInt8 = 0
        var start = -1
        // Lower-cases ASCII on the fly; non-ASCII stems are written in lower case.
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        func isWord(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c >= 0x80
        }
        var i = 0
        let n = bytes.count
        while i <= n {
            let c: UInt8 = i < n ? bytes[i] : 0x20
            if isWord(c) {
                if start < 0 {
                    start = i
                    for (stem, bit) in byFirstByte[Int(lower(c))] where found & bit == 0 && start + stem.count <= n {
                        var j = 1
                        while j < stem.count && lower(bytes[start + j]) == stem[j] { j += 1 }
                        if j == stem.count { found |= bit }
                    }
                }
            } else {
                start = -1
            }
            i += 1
        }
        if nonASCII {
            for (needle, bit) in cjk where found & bit == 0 && TextAnalyzer.contains(bytes, needle) { found |= bit }
        }
        return found
    }

    /// Whether the families found make a request for written-out reasoning.
    static func isElicitation(_ families: UInt8) -> Bool {
        families & coreMask != 0 && families.nonzeroBitCount >= 3
    }
}
