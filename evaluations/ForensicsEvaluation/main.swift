// Tokenizes the forensics evaluation's answers with the watermarked model's own tokenizer,
// so the students train on exactly the token ids the gateway served.
//
// Usage: ForensicsEvaluation MODEL.gguf IN.jsonl OUT.txt
// IN holds {"prompt","answer"} lines; OUT gets one line of space-separated token ids per
// answer: the SmolLM2 chat rendering of the exchange, answer included.
//        ForensicsEvaluation --top1 MODEL.gguf ID ID …
// prints the model's top-1 prediction after each prefix (to check a student's GGUF conversion).
import AegisCore
import Foundation
import Inference

let arguments = CommandLine.arguments
if arguments.count > 2, arguments[1] == "--top1" {
    do {
        let model = try LanguageModel(path: arguments[2])
        let session = InferenceSession(model: model, contextLength: 256, threadCount: 1)
        let tokens = arguments.dropFirst(3).compactMap { TokenID($0) }
        let predictions = try session.teacherForce(Array(tokens), topK: 1)
        print(predictions.map { String($0.top[0].token) }.joined(separator: " "))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("ForensicsEvaluation: \(error)\n".utf8))
        exit(1)
    }
}
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: ForensicsEvaluation MODEL.gguf IN.jsonl OUT.txt\n".utf8))
    exit(2)
}
do {
    let tokenizer = try Tokenizer(gguf: try GGUFFile(path: arguments[1]))
    guard let data = FileManager.default.contents(atPath: arguments[2]) else { throw InvalidInput("cannot read \(arguments[2])") }
    var out = ""
    var count = 0
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let object = try JSONParser.parse(String(line))
        guard let prompt = object["prompt"]?.stringValue, let answer = object["answer"]?.stringValue else { continue }
        let text = "<|im_start|>user\n\(prompt)<|im_end|>\n<|im_start|>assistant\n\(answer)<|im_end|>\n"
        let tokens = tokenizer.encode(text, parseSpecialTokens: true)
        out += tokens.map(String.init).joined(separator: " ") + "\n"
        count += tokens.count
    }
    try out.write(toFile: arguments[3], atomically: true, encoding: .utf8)
    FileHandle.standardError.write(Data("\(count) tokens -> \(arguments[3])\n".utf8))
} catch {
    FileHandle.standardError.write(Data("ForensicsEvaluation: \(error)\n".utf8))
    exit(1)
}
