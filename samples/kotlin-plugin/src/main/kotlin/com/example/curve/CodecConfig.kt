package com.example.curve

import dev.transfusion.api.PluginException
import java.io.IOException
import java.io.UncheckedIOException
import java.nio.file.Files
import java.nio.file.Path

/**
 * The curve codec's directory: one `codec.txt` naming the codec (`key=value` lines). The codec has no weights,
 * so the file records what a model was trained with, and loading refuses a different codec.
 */
object CodecConfig {
    /** The file's name. */
    const val FILE = "codec.txt"

    /** What the file holds, and must hold to load. */
    private val EXPECTED = linkedMapOf(
        "codec" to "reshape",
        "samples" to SAMPLES.toString(),
        "latent" to "1x${CurveCodec.ROWS}x${CurveCodec.COLUMNS}",
        "patch" to "${CurveCodec.PATCH.patchHeight()}x${CurveCodec.PATCH.patchWidth()}",
    )

    fun write(directory: Path) {
        try {
            Files.createDirectories(directory)
            Files.writeString(directory.resolve(FILE), EXPECTED.entries.joinToString("") { "${it.key}=${it.value}\n" })
        } catch (e: IOException) {
            throw UncheckedIOException("cannot write the curve codec to $directory: ${e.message}", e)
        }
    }

    fun load(directory: Path): CurveCodec {
        val file = directory.resolve(FILE)
        if (!Files.isRegularFile(file)) {
            throw PluginException("curve codec directory $directory has no $FILE")
        }
        val found = try {
            Files.readAllLines(file).filter { it.isNotBlank() }.associate { line ->
                val eq = line.indexOf('=')
                if (eq < 0) throw PluginException("$file: expected key=value lines, got '$line'")
                line.substring(0, eq).trim() to line.substring(eq + 1).trim()
            }
        } catch (e: IOException) {
            throw PluginException("cannot read $file: ${e.message}", e)
        }
        for ((key, want) in EXPECTED) {
            val got = found[key] ?: throw PluginException("$file: missing '$key' (expected $want)")
            if (got != want) {
                throw PluginException("$file: '$key' is $got, this plugin's curve codec has $want")
            }
        }
        return CurveCodec()
    }
}
