/// Word and phrase lists behind the content signals, in several languages.
///
/// A category matches a prompt when one of its *strong* phrases occurs, or
/// when a word of its *A* list and a word of its *B* list both occur (e.g.
/// "rewrite" + "censorship"), which keeps single common words from firing.
/// Phrases are matched on lower-cased word n-grams (up to three words);
/// scripts without spaces (Chinese, Japanese) are matched as substrings.
/// All entries were written for Aegis; extend them in place.
enum Lexicon {
    struct Entry {
        let category: PromptCategory
        let strong: [String]
        let a: [String]
        let b: [String]
        let substrings: [String]
    }

    static let entries: [Entry] = [
        Entry(
            category: .reasoningElicitation,
            strong: [
                "chain of thought", "chain-of-thought", "internal reasoning", "reasoning process", "thought process",
                "reasoning trace", "full reasoning", "complete reasoning", "hidden reasoning", "inner monologue",
                "scratchpad", "intermediate steps", "intermediate reasoning", "reasoning chain", "every reasoning step",
                "reasoning steps", "think out loud", "before giving the final answer", "your thinking",
                "cadena de pensamiento", "razonamiento interno", "proceso de razonamiento", "pasos intermedios",
                "chaîne de pensée", "raisonnement interne", "étapes intermédiaires", "gedankenkette", "denkprozess",
                "zwischenschritte",
            ],
            a: [], b: [],
            substrings: ["思维链", "推理过程", "内部推理", "中间步骤", "思考过程"]),
        Entry(
            category: .stepByStep,
            strong: ["step by step", "step-by-step", "show your work", "think carefully", "explain your answer",
                     "paso a paso", "étape par étape", "schritt für schritt"],
            a: [], b: [],
            substrings: ["一步一步", "逐步"]),
        Entry(
            category: .rubricGrading,
            strong: ["rubric", "scoring criteria", "grading criteria", "reference answer", "assign a score",
                     "which response is better", "response a", "response b", "assistant a", "assistant b",
                     "rúbrica", "barème", "bewertungskriterien"],
            a: ["grade", "score", "rate", "evaluate", "judge", "assess", "calificar", "évaluer", "bewerten"],
            b: ["response", "responses", "completion", "completions", "candidate", "scale", "criteria", "respuesta", "réponse"],
            substrings: ["评分标准", "打分", "评分"]),
        Entry(
            category: .safeRewrite,
            strong: ["censorship-safe", "censorship safe", "politically sensitive", "pass content review",
                     "avoid censorship", "evade censorship"],
            a: ["rewrite", "rephrase", "paraphrase", "reword", "sanitize", "sanitise", "reescribe", "réécris", "umschreiben"],
            b: ["censorship", "censor", "censored", "sensitive", "compliant", "compliance", "moderation", "review",
                "censura", "sensible", "zensur"],
            substrings: ["审查", "敏感", "合规"]),
        Entry(
            category: .trainingFormat,
            strong: ["training data", "training example", "training examples", "fine-tuning", "finetuning", "fine tuning",
                     "instruction-response", "instruction response pairs", "question-answer pairs", "jsonl",
                     "alpaca format", "sharegpt", "synthetic data", "dataset entry", "datos de entrenamiento",
                     "données d'entraînement", "trainingsdaten"],
            a: [], b: [],
            substrings: ["训练数据", "微调"]),
    ]

    static let topics: [(Topic, [String])] = [
        (.math, ["equation", "solve", "integer", "integers", "probability", "triangle", "algebra", "calculus",
                 "derivative", "integral", "polynomial", "fraction", "percent", "prime", "geometry", "matrix",
                 "remainder", "divisible", "theorem", "sum", "product", "multiply", "divide", "area", "radius",
                 "how many", "how much", "total", "cost", "dollars"]),
        (.code, ["python", "function", "code", "javascript", "java", "sql", "algorithm", "array", "compile", "bug",
                 "regex", "api", "recursion", "implement", "def", "return", "returns", "list", "string", "class",
                 "programming", "rust"]),
        (.science, ["physics", "chemistry", "biology", "atom", "molecule", "energy", "cell", "gene", "evolution",
                    "planet", "gravity", "quantum", "photosynthesis", "velocity", "climate"]),
        (.medicine, ["symptoms", "disease", "treatment", "patient", "drug", "diagnosis", "health", "vaccine", "doctor"]),
        (.law, ["legal", "law", "court", "contract", "rights", "statute", "liability", "lawsuit"]),
        (.finance, ["stock", "invest", "investment", "tax", "budget", "loan", "market", "revenue", "finance"]),
        (.history, ["history", "war", "century", "empire", "ancient", "revolution", "king", "historical"]),
        (.writing, ["poem", "story", "essay", "letter", "email", "novel", "character", "blog", "article", "song"]),
        (.translation, ["translate", "translation", "french", "spanish", "german", "chinese", "japanese"]),
        (.business, ["marketing", "customer", "product", "startup", "sales", "strategy", "company", "review"]),
        (.lifestyle, ["recipe", "cook", "travel", "trip", "hotel", "restaurant", "workout", "garden", "movie"]),
    ]
}
