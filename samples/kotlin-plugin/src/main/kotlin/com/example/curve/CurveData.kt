@file:JvmName("CurveData")

package com.example.curve

import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.SplittableRandom
import kotlin.system.exitProcess

/** The JSONL file [writeDataSet] writes beside the curves. */
const val DOCUMENTS = "documents.jsonl"

/** Frequencies of the data set's curves: 1..[TOP_FREQUENCY]. */
const val TOP_FREQUENCY = 8

/**
 * Writes a tiny training set into [directory]: [count] curves `0001.curve`, `0002.curve`, ... (sines of
 * frequency 1..8 drawn from [seed], peak 0.6..0.9) and [DOCUMENTS], one document a line:
 * `{"parts": [{"text": "a curve of frequency 3"}, {"modality": "curve", "file": "0001.curve"}]}`
 * (file names relative to the JSONL file). Returns the JSONL file.
 */
fun writeDataSet(directory: Path, count: Int, seed: Long): Path {
    require(count >= 1) { "count must be at least 1, got $count" }
    Files.createDirectories(directory)
    val random = SplittableRandom(seed)
    val width = maxOf(4, count.toString().length)
    val lines = (1..count).map { i ->
        val frequency = 1 + random.nextInt(TOP_FREQUENCY)
        val name = i.toString().padStart(width, '0') + "." + CurveFile.EXTENSION
        CurveFile.write(directory.resolve(name), sine(frequency, 0.6 + 0.3 * random.nextDouble()))
        """{"parts": [{"text": "${caption(frequency)}"}, {"modality": "$MODALITY", "file": "$name"}]}"""
    }
    val jsonl = directory.resolve(DOCUMENTS)
    Files.writeString(jsonl, lines.joinToString("\n", postfix = "\n"))
    return jsonl
}

/** The caption of a curve of [frequency]: `a curve of frequency 3`. */
fun caption(frequency: Int): String = "a curve of frequency $frequency"

/** `CurveData DIR [COUNT [SEED]]`: writes [writeDataSet]'s files (default 200 curves, seed 1). */
fun main(args: Array<String>) {
    exitProcess(command(args, System.out, System.err))
}

/** [main] without the exit: 0 when written, 2 (and the usage) for arguments it cannot use. */
fun command(args: Array<String>, out: PrintStream, err: PrintStream): Int {
    if (args.isEmpty() || args.size > 3) {
        err.println("usage: CurveData DIR [COUNT [SEED]]")
        return 2
    }
    val count = args.getOrNull(1)?.toIntOrNull()
    val seed = args.getOrNull(2)?.toLongOrNull()
    if ((args.size > 1 && (count == null || count < 1)) || (args.size > 2 && seed == null)) {
        err.println("error: COUNT must be a positive whole number and SEED a whole number, got ${args.drop(1)}")
        err.println("usage: CurveData DIR [COUNT [SEED]]")
        return 2
    }
    val jsonl = writeDataSet(Path.of(args[0]), count ?: 200, seed ?: 1)
    out.println("wrote ${count ?: 200} curves and $jsonl")
    return 0
}
