package com.example.curve

import dev.transfusion.api.Part
import dev.transfusion.api.PluginException
import dev.transfusion.api.TrainingListener
import dev.transfusion.api.spi.CodecTraining
import dev.transfusion.api.spi.ContinuousModalityPlugin
import dev.transfusion.api.spi.LatentCodec
import java.nio.file.Path

/**
 * The "curve" modality: 64-sample 1-D signals in [-1, 1], spans `<boc>` ... `<eoc>`, read from and written to
 * `.curve` files, with the fixed [CurveCodec]. A `class` with a no-argument constructor, as
 * [java.util.ServiceLoader] needs (a Kotlin `object` has none).
 */
class CurvePlugin : ContinuousModalityPlugin {

    override fun modality(): String = MODALITY

    override fun version(): String = VERSION

    override fun description(): String =
        "64-sample curves in [-1, 1] <-> latents [1, 4, 16] (fixed reshape), patches 2 x 4; reads and writes .curve"

    override fun beginToken(): String = "<boc>"

    override fun endToken(): String = "<eoc>"

    override fun loadCodec(directory: Path): LatentCodec = CodecConfig.load(directory)

    override fun fileExtensions(): List<String> = listOf(CurveFile.EXTENSION)

    override fun readFile(file: Path): Part = curvePart(CurveFile.read(file))

    override fun writeFile(file: Path, part: Part) = CurveFile.write(file, samplesOf(part))

    /** The codec is fixed: this writes its directory, reads no samples, and says so. */
    override fun trainCodec(samples: Iterable<Part>, outputDir: Path, options: CodecTraining, listener: TrainingListener) {
        if (options.settings().isNotEmpty()) {
            throw PluginException("the curve codec is fixed and takes no settings, got ${options.settings().keys.sorted()}")
        }
        CodecConfig.write(outputDir)
        listener.onNote("the curve codec is fixed: nothing to train; wrote ${CodecConfig.FILE} to $outputDir")
    }

    companion object {
        /** The plugin's version, recorded in models that use it. */
        const val VERSION = "1.0.0"
    }
}
