/// The wording of templated traffic, legitimate and not. Written for Aegis;
/// several languages where campaigns are reported to use them.
enum PromptTemplates {
    static let reasoning = [
        "Solve the problem below. Before the final answer, write out your complete internal reasoning process, every intermediate step, exactly as you think it.\n\nProblem: {task}",
        "{task}\n\nShow your full chain of thought in detail, then state the answer on the last line as 'Answer: <value>'.",
        "Think out loud: put your complete reasoning trace inside <think></think> tags, then give the final answer.\n\n{task}",
        "Resuelve el siguiente problema. Escribe tu razonamiento interno completo, con todos los pasos intermedios, antes de la respuesta final.\n\n{task}",
        "请解决下面的问题。先写出完整的思维链和推理过程，再给出最终答案。\n\n{task}",
    ]
    /// Reasoning elicitation worded to miss every lexicon entry (the evasive scenario).
    static let paraphrasedReasoning = [
        "Work through this carefully. Narrate each consideration you weigh, in order, as a numbered list, and do not skip any, before the result.\n\n{task}",
        "{task}\n\nI am studying how experts approach this. Lay out everything you consider, one numbered line per thought, then the result.",
        "Take this slowly and talk me through your whole approach, including false starts, and only then give the result.\n\n{task}",
    ]
    static let rubric = [
        "You are an expert grader. Score the candidate response to the question on a scale of 1 to 10 using this rubric: correctness, completeness, clarity. Return the score and a one-paragraph justification.\n\nQuestion: {task}\n\nCandidate response: {answer}",
        "Which response is better, Response A or Response B? Explain your judgement, then output only 'A' or 'B' on the last line.\n\nPrompt: {task}\n\nResponse A: {answer}\n\nResponse B: {answer2}",
        "请根据评分标准为以下回答打分（1-10分），并说明理由。\n问题：{task}\n回答：{answer}",
    ]
    static let rewrite = [
        "Rewrite the following text so that it is censorship-safe: remove or soften politically sensitive content while keeping the meaning as close as possible.\n\n{passage}",
        "Paraphrase this passage so it passes content review in a strictly moderated market; avoid sensitive wording but keep every fact.\n\n{passage}",
        "请改写以下内容，使其能够通过审查，删除敏感表述但保留原意。\n\n{passage}",
    ]
    static let trainingFormat = [
        "Answer the question below, then restate the whole exchange as one JSONL training example with the fields \"instruction\" and \"output\".\n\n{task}",
        "Generate 5 diverse question-answer pairs about the following topic, formatted as fine-tuning data in Alpaca format (instruction, input, output).\n\nTopic: {passage}",
    ]
    static let apps = [
        "Summarize the following customer review in one sentence and label its sentiment as positive, negative or neutral.\n\nReview: {passage}",
        "Extract the product name, price and delivery date from this email and return them as JSON with keys name, price, date.\n\nEmail: {passage}",
        "Translate the following support ticket into English, keeping product names unchanged and the tone polite.\n\nTicket: {passage}",
        "Classify this support message into one of: billing, shipping, account, other. Reply with the label only.\n\nMessage: {passage}",
        "Write a friendly two-sentence reply to this customer message, thanking them and promising a follow-up.\n\nMessage: {passage}",
    ]
    static let evaluation = [
        "Question: {task}\nLet's think step by step.",
        "Q: {task}\nA:",
        "{task}\nAnswer with the final number only.",
    ]
    static let tutorSystem = "You are a patient maths tutor for secondary-school students. Explain step by step how to solve the student's problem in plain language, and end with one short question that checks their understanding."
    static let tutorFollowUps = [
        "I don't get the second step, can you explain it again more slowly?",
        "Why do we divide there?", "Can you give me a similar problem to practise?", "Is my answer of 12 right?",
    ]
    static let chatFollowUps = [
        "Thanks! Can you make it shorter?", "Could you give me another example?", "What would you change if the budget were smaller?",
        "Can you explain the last point in more detail?", "Great, now put it in a table.",
    ]

    static func fill(_ template: String, task: String = "", passage: String = "", answer: String = "", answer2: String = "") -> String {
        template.replacingOccurrences(of: "{task}", with: task)
            .replacingOccurrences(of: "{passage}", with: passage)
            .replacingOccurrences(of: "{answer}", with: answer)
            .replacingOccurrences(of: "{answer2}", with: answer2)
    }
}
