// The plugin registry and a tokenizer through the public API, in Kotlin (the Java twin is TokenizeSample.java).
// It shows what the API looks like from Kotlin: JSpecify nullness becomes Kotlin types (specialTokenId
// returns Int?), listeners are lambdas, options come from a builder, and the sealed ModalityPlugin
// makes `when` exhaustive.
//
// Run it with
//   java -cp 'samples/target/classes:samples/target/lib/*' dev.transfusion.samples.TokenizeSampleKt
package dev.transfusion.samples

import dev.transfusion.api.GenerationListener
import dev.transfusion.api.GenerationOptions
import dev.transfusion.api.Transfusion
import dev.transfusion.api.spi.ContinuousModalityPlugin
import dev.transfusion.api.spi.DiscreteModalityPlugin
import dev.transfusion.api.spi.Tokenizer
import java.io.PrintStream

/** What the tokenizer learns from; a real one trains on a corpus of megabytes. */
private val texts = listOf(
    "A red circle above a blue square.",
    "A small green triangle left of a large red circle.",
    "Two blue squares and one green circle on a white background.",
    "The circle is red; the square is blue; the triangle is green.",
    "A large blue triangle below a small red square.",
)

/** The sentence the sample tokenizes. */
const val KOTLIN_SENTENCE = "Two red triangles above a green square."

/** Prints the walk-through on standard output. */
fun main() = run(System.out)

/** Prints the walk-through on [out]. */
fun run(out: PrintStream) {
    val registry = Transfusion.registry()
    out.println("modalities: ${registry.modalities()}")
    for (name in registry.modalities()) {
        val plugin = registry.plugin(name)
        // ModalityPlugin is a sealed Java interface: no else branch needed
        val kind = when (plugin) {
            is DiscreteModalityPlugin -> "discrete"
            is ContinuousModalityPlugin -> "continuous, ${plugin.beginToken()} ... ${plugin.endToken()}"
        }
        out.println("  $name ($kind, version ${plugin.version()}): ${plugin.description()}")
    }

    // 256 byte tokens + 5 special tokens (<bos>, <eos>, <boi>, <eoi>, <pad>) + 60 merges
    val tokenizer: Tokenizer = registry.discrete("text").trainTokenizer(texts, 321, emptyList())
    out.println("tokenizer: ${tokenizer.vocabSize()} ids, special tokens ${tokenizer.specialTokens()}")
    // @Nullable in Java is Int? here: the compiler makes us handle the missing case
    val bos: Int? = tokenizer.specialTokenId("<bos>")
    val mask = tokenizer.specialTokenId("<mask>") ?: "absent"
    out.println("<bos> = $bos, <mask> = $mask")

    val ids = tokenizer.encode(KOTLIN_SENTENCE)
    out.println("sentence: $KOTLIN_SENTENCE")
    out.println("ids: ${ids.joinToString(" ")}")
    out.println("decoded: ${tokenizer.decode(ids)}")

    // A model streams its output to a listener one token at a time; here we play the model's part.
    val streamed = StringBuilder()
    val listener = GenerationListener.ofTokens { _, text -> streamed.append(text) }
    ids.forEach { id -> listener.onToken(id, tokenizer.decode(intArrayOf(id))) }
    out.println("streamed: $streamed")

    val options = GenerationOptions.builder()
        .maxTokens(64)
        .temperature(0.8)
        .topK(40)
        .seed(7L)
        .stop(listOf("."))
        .build()
    out.println("options: $options")
}
