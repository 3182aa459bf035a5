package com.example.curve

import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class CurveDataTest {
    private val line = Regex("""\{"parts": \[\{"text": "a curve of frequency (\d+)"}, \{"modality": "curve", "file": "(\d{4}\.curve)"}]}""")

    @Test
    fun `the generator writes N curves and one document per curve naming its file`(@TempDir dir: Path) {
        val jsonl = writeDataSet(dir, 12, 7)
        assertEquals(dir.resolve("documents.jsonl"), jsonl)
        val lines = Files.readAllLines(jsonl)
        assertEquals(12, lines.size)
        val frequencies = mutableSetOf<Int>()
        lines.forEachIndexed { i, text ->
            val m = line.matchEntire(text) ?: throw AssertionError("line ${i + 1} is not a curve document: $text")
            val frequency = m.groupValues[1].toInt()
            assertEquals("%04d.curve".format(i + 1), m.groupValues[2])
            assertTrue(frequency in 1..TOP_FREQUENCY, "frequency $frequency")
            val samples = samplesOf(CurvePlugin().readFile(dir.resolve(m.groupValues[2])))
            assertEquals(frequency, frequencyOf(samples), "curve ${m.groupValues[2]} holds its caption's frequency")
            val peak = samples.maxOf { kotlin.math.abs(it) }
            assertTrue(peak in 0.5f..0.9f, "peak $peak")
            frequencies += frequency
        }
        assertTrue(frequencies.size >= 5, "12 curves draw several frequencies: $frequencies")
        assertEquals(Files.readString(jsonl), Files.readString(writeDataSet(dir.resolve("again"), 12, 7)),
            "the same seed writes the same documents")
    }

    @Test
    fun `every frequency of the data set reads back`() {
        for (k in 1..TOP_FREQUENCY) {
            assertEquals(k, frequencyOf(sine(k, 0.6)))
        }
    }

    @Test
    fun `the command writes the files or says which argument it cannot use`(@TempDir dir: Path) {
        fun run(vararg args: String): Triple<Int, String, String> {
            val out = java.io.ByteArrayOutputStream()
            val err = java.io.ByteArrayOutputStream()
            val code = command(arrayOf(*args), java.io.PrintStream(out, true), java.io.PrintStream(err, true))
            return Triple(code, out.toString(), err.toString())
        }
        val ok = run(dir.toString(), "3", "9")
        assertEquals(0, ok.first, ok.third)
        assertEquals("wrote 3 curves and ${dir.resolve("documents.jsonl")}\n", ok.second.replace("\r\n", "\n"))
        assertEquals(3, Files.readAllLines(dir.resolve("documents.jsonl")).size)
        val bad = run(dir.resolve("x").toString(), "many")
        assertEquals(2, bad.first)
        assertEquals("error: COUNT must be a positive whole number and SEED a whole number, got [many]",
            bad.third.lines().first())
        assertTrue(!Files.exists(dir.resolve("x")), "nothing written")
        assertEquals(2, run().first)
        assertEquals(2, run(dir.toString(), "0").first)
    }
}
