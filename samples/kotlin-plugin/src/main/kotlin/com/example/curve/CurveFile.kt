package com.example.curve

import dev.transfusion.api.InvalidInputException
import java.io.IOException
import java.io.UncheckedIOException
import java.nio.charset.CharacterCodingException
import java.nio.file.Files
import java.nio.file.Path

/**
 * `.curve` files: UTF-8 text, one sample per line (a decimal number in [-1, 1]), exactly [SAMPLES] of them;
 * `#` starts a comment to the end of its line and blank lines are skipped. Written with `Float.toString`, so
 * a curve is read back exactly. Every refusal names the file, and the line where there is one.
 */
object CurveFile {
    /** The extension, without the dot. */
    const val EXTENSION = "curve"

    /** Files over this size are refused before they are read (64 samples need under 1 KiB). */
    const val MAX_BYTES = 64L * 1024

    /** Reads a curve's samples. */
    fun read(file: Path): FloatArray {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException("curve file $file does not exist or is not a file")
        }
        val text = try {
            val size = Files.size(file)
            if (size > MAX_BYTES) {
                throw InvalidInputException("curve file $file has $size bytes, over the limit of $MAX_BYTES")
            }
            Files.readString(file)
        } catch (e: CharacterCodingException) {
            throw InvalidInputException("curve file $file is not UTF-8 text", e)
        } catch (e: IOException) {
            throw InvalidInputException("cannot read curve file $file: ${e.message}", e)
        }
        val samples = ArrayList<Float>(SAMPLES)
        text.lines().forEachIndexed { i, raw ->
            val line = raw.substringBefore('#').trim()
            if (line.isEmpty()) {
                return@forEachIndexed
            }
            val where = "curve file $file, line ${i + 1}"
            if (line.any { it.isWhitespace() }) {
                throw InvalidInputException("$where: expected one number, got '$line'")
            }
            val x = line.toFloatOrNull() ?: throw InvalidInputException("$where: '$line' is not a number")
            if (!x.isFinite() || x < -1f || x > 1f) {
                throw InvalidInputException("$where: $line is outside [-1, 1]")
            }
            samples.add(x)
        }
        if (samples.size != SAMPLES) {
            throw InvalidInputException("curve file $file holds ${samples.size} samples, expected $SAMPLES")
        }
        return samples.toFloatArray()
    }

    /** Writes a curve's samples, replacing the file; they must be [SAMPLES] finite values in [-1, 1]. */
    fun write(file: Path, samples: FloatArray) {
        if (samples.size != SAMPLES) {
            throw InvalidInputException("a curve has $SAMPLES samples, got ${samples.size}")
        }
        val bad = samples.indexOfFirst { !it.isFinite() || it < -1f || it > 1f }
        if (bad >= 0) {
            throw InvalidInputException("sample $bad of the curve is ${samples[bad]}, outside [-1, 1]")
        }
        val text = buildString {
            append("# curve: $SAMPLES samples in [-1, 1], one a line\n")
            samples.forEach { append(it.toString()).append('\n') }
        }
        try {
            Files.writeString(file, text)
        } catch (e: IOException) {
            throw UncheckedIOException("cannot write curve file $file: ${e.message}", e)
        }
    }
}
