// The main job's flow through the public API, in Kotlin (the Java twin is ShapesSample.java): train on the
// built-in shapes data with a lambda listener, load the model, draw an image from a caption while an object
// listener follows the denoising, then caption the drawing and answer a question about it. Trainer and
// TransfusionModel are AutoCloseable, so `use` frees their native memory.
//
// Run it with
//   java -cp 'samples/target/classes:samples/target/lib/*' dev.transfusion.samples.ShapesSampleKt OUT [STEPS] [CODEC]
package dev.transfusion.samples

import dev.transfusion.api.Cancellation
import dev.transfusion.api.DiffusionStep
import dev.transfusion.api.Document
import dev.transfusion.api.GenerationListener
import dev.transfusion.api.GenerationOptions
import dev.transfusion.api.Mode
import dev.transfusion.api.TrainingOptions
import dev.transfusion.api.Transfusion
import dev.transfusion.plugins.image.PixelCodec
import java.io.PrintStream
import java.nio.file.Path

/** The caption the Kotlin sample draws. */
const val KOTLIN_PROMPT = "a small blue square in the top left"

/** `OUT [STEPS] [CODEC]`. */
fun main(args: Array<String>) {
    require(args.isNotEmpty()) { "usage: ShapesSampleKt OUT [STEPS] [CODEC]" }
    runShapes(System.out, Path.of(args[0]), args.getOrNull(1)?.toInt() ?: 300, args.getOrNull(2)?.let { Path.of(it) })
}

/** Trains into [out] for [steps] steps, then generates, captions and answers; prints on [log]. */
fun runShapes(log: PrintStream, out: Path, steps: Int, codec: Path? = null) {
    // no trained VAE given: the image plugin's pixel codec (raw 4x4 patches of 16x16 images)
    val codecDir = codec ?: out.resolve("pixels").also { PixelCodec(16, 4).save(it) }
    val options = TrainingOptions.builder("shapes", out)
        .preset("shapes")
        .steps(steps)
        .batchSize(8)
        .learningRate(1.5e-3)
        .warmupSteps(minOf(100, steps / 10))
        .checkpointEvery(maxOf(1, steps / 2))
        .codecDir(codecDir)
        .build()
    val every = maxOf(1, steps / 10)
    Transfusion.trainer(options).use { trainer ->
        val last = trainer.train({ step ->
            if (step.step() % every == 0L || step.step() == step.totalSteps()) {
                log.println("train ${step.step()}/${step.totalSteps()} loss %.3f".format(step.totalLoss()))
            }
        }, Cancellation())
        log.println("trained: " + (last?.let { "${it.step()} steps" } ?: "nothing left to do"))
    }

    Transfusion.load(out.resolve("model")).use { model ->
        val draw = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(10).seed(7L).maxTokens(1).build()
        val progress = object : GenerationListener {
            override fun onDiffusionStep(step: DiffusionStep) =
                log.println("denoise ${step.step()}/${step.totalSteps()} (t = ${step.timestep()})")
        }
        val image = model.generate(Document.text(KOTLIN_PROMPT), draw, progress, Cancellation()).images().first()
        log.println("image: ${image.width()}x${image.height()} for '$KOTLIN_PROMPT'")
        val words = GenerationOptions.builder().maxTokens(16).build()
        log.println("caption: " + model.caption(image, words))
        log.println("answer: " + model.answer(image, "what colour is it?", words))
    }
}
