package com.example.curve

import dev.transfusion.api.InvalidInputException
import dev.transfusion.api.PluginException
import dev.transfusion.api.TextPart
import dev.transfusion.api.TrainingListener
import dev.transfusion.api.spi.CodecTraining
import dev.transfusion.api.spi.ContinuousModalityPlugin
import dev.transfusion.api.spi.Latent
import dev.transfusion.api.spi.ModalityPlugin
import dev.transfusion.api.spi.PatchGeometry
import java.nio.file.Files
import java.nio.file.Path
import java.util.ServiceLoader
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class CurvePluginTest {

    @Test
    fun `the plugin is found by ServiceLoader as a continuous modality`() {
        val found = ServiceLoader.load(ModalityPlugin::class.java).toList()
        assertEquals(1, found.size, "the jar registers one modality: $found")
        val curve = assertInstanceOf(ContinuousModalityPlugin::class.java, found[0])
        assertInstanceOf(CurvePlugin::class.java, curve)
        assertEquals("curve", curve.modality())
        assertEquals("<boc>", curve.beginToken())
        assertEquals("<eoc>", curve.endToken())
        assertEquals(listOf("curve"), curve.fileExtensions())
        assertEquals(CurvePlugin.VERSION, curve.version())
    }

    @Test
    fun `the codec lays a curve out as a 4 x 16 latent of 2 x 4 patches and back exactly`() {
        val codec = CurveCodec()
        val samples = sine(3, 0.8)
        val z = codec.encode(curvePart(samples))
        assertEquals(Latent(1, 4, 16, samples), z)
        assertEquals(samples[16 + 5], z.get(0, 1, 5), "row 1 holds samples 16..31")
        assertArrayEquals(intArrayOf(1, 4, 16), codec.latentShape())
        assertEquals(PatchGeometry(2, 4), codec.geometry())
        assertEquals(8, codec.geometry().patches(4, 16))
        assertEquals(8, codec.geometry().patchDim(codec.latentChannels()))
        assertEquals(curvePart(samples), codec.decode(z))
        assertEquals(3, frequencyOf(samplesOf(codec.decode(z))))
    }

    @Test
    fun `decoding clamps to full scale and refuses another shape or a NaN by name`() {
        val codec = CurveCodec()
        val loud = codec.decode(Latent(1, 4, 16, FloatArray(64) { if (it % 2 == 0) 5f else -5f }))
        assertTrue(samplesOf(loud).all { it == 1f || it == -1f })
        val shape = assertThrows(InvalidInputException::class.java) { codec.decode(Latent(1, 8, 8, FloatArray(64))) }
        assertEquals("the curve codec decodes latents [1, 4, 16], got [1, 8, 8]", shape.message)
        val nan = assertThrows(InvalidInputException::class.java) {
            codec.decode(Latent(1, 4, 16, FloatArray(64) { if (it == 21) Float.NaN else 0f }))
        }
        assertEquals("the curve latent is NaN at row 1, column 5", nan.message)
        val text = assertThrows(InvalidInputException::class.java) { codec.encode(TextPart("hello")) }
        assertEquals("expected a 'curve' part, got a 'text' part", text.message)
    }

    @Test
    fun `a written codec directory loads and a different one is refused`(@TempDir dir: Path) {
        val notes = mutableListOf<String>()
        val listener = object : TrainingListener {
            override fun onStep(step: dev.transfusion.api.TrainingStep) = throw AssertionError("a fixed codec takes no steps")
            override fun onNote(note: String) {
                notes += note
            }
        }
        val out = dir.resolve("codecs/curve")
        CurvePlugin().trainCodec(emptyList(), out, CodecTraining.defaults(1), listener)
        assertInstanceOf(CurveCodec::class.java, CurvePlugin().loadCodec(out))
        assertEquals(listOf("the curve codec is fixed: nothing to train; wrote codec.txt to $out"), notes)
        val file = out.resolve("codec.txt")
        Files.writeString(file, Files.readString(file).replace("patch=2x4", "patch=4x4"))
        assertEquals("$file: 'patch' is 4x4, this plugin's curve codec has 2x4",
            assertThrows(PluginException::class.java) { CurvePlugin().loadCodec(out) }.message)
        assertEquals("curve codec directory $dir has no codec.txt",
            assertThrows(PluginException::class.java) { CurvePlugin().loadCodec(dir) }.message)
    }

    @Test
    fun `a curve file is written and read back exactly`(@TempDir dir: Path) {
        val plugin = CurvePlugin()
        val part = curvePart(sine(5, 0.7))
        val file = dir.resolve("a.curve")
        plugin.writeFile(file, part)
        assertEquals(part, plugin.readFile(file))
        assertTrue(Files.readString(file).startsWith("# curve: 64 samples"))
        val spaced = dir.resolve("b.curve")
        Files.writeString(spaced, "\n# a comment\n" + (0 until 64).joinToString("\n") { "  0.25  # sample $it" } + "\n\n")
        assertEquals(curvePart(FloatArray(64) { 0.25f }), plugin.readFile(spaced))
    }

    @Test
    fun `a malformed curve file is refused naming the file and the line`(@TempDir dir: Path) {
        val plugin = CurvePlugin()
        fun refused(name: String, text: String): String {
            val file = dir.resolve(name)
            Files.writeString(file, text)
            val message = assertThrows(InvalidInputException::class.java) { plugin.readFile(file) }.message!!
            return message.replace(file.toString(), "FILE")
        }
        val ok = (0 until 64).map { "0.5" }
        assertEquals("curve file FILE holds 63 samples, expected 64", refused("short.curve", ok.drop(1).joinToString("\n")))
        assertEquals("curve file FILE holds 65 samples, expected 64", refused("long.curve", (ok + "0").joinToString("\n")))
        assertEquals("curve file FILE, line 3: 'abc' is not a number",
            refused("word.curve", (ok.take(2) + "abc" + ok.drop(3)).joinToString("\n")))
        assertEquals("curve file FILE, line 1: 1.5 is outside [-1, 1]", refused("big.curve", (listOf("1.5") + ok.drop(1)).joinToString("\n")))
        assertEquals("curve file FILE, line 2: NaN is outside [-1, 1]",
            refused("nan.curve", (ok.take(1) + "NaN" + ok.drop(2)).joinToString("\n")))
        assertEquals("curve file FILE, line 1: expected one number, got '0.1 0.2'",
            refused("two.curve", "0.1 0.2\n" + ok.drop(1).joinToString("\n")))
        assertEquals("curve file FILE holds 0 samples, expected 64", refused("empty.curve", ""))
        val missing = dir.resolve("none.curve")
        assertEquals("curve file $missing does not exist or is not a file",
            assertThrows(InvalidInputException::class.java) { plugin.readFile(missing) }.message)
        val binary = dir.resolve("x.curve")
        Files.write(binary, byteArrayOf(0xff.toByte(), 0xfe.toByte(), 0x00))
        assertEquals("curve file $binary is not UTF-8 text",
            assertThrows(InvalidInputException::class.java) { plugin.readFile(binary) }.message)
        val outside = assertThrows(InvalidInputException::class.java) {
            plugin.writeFile(dir.resolve("w.curve"), curvePart(FloatArray(64) { if (it == 9) 2f else 0f }))
        }
        assertEquals("sample 9 of the curve is 2.0, outside [-1, 1]", outside.message)
    }

    @Test
    fun `the sdk-api is compiled with parameter names, so overrides show them`() {
        val readFile = ContinuousModalityPlugin::class.java.getMethod("readFile", Path::class.java)
        assertEquals("file", readFile.parameters[0].name, "sdk-api compiled with -parameters")
        val trainCodec = ContinuousModalityPlugin::class.java.methods.first { it.name == "trainCodec" }
        assertEquals(listOf("samples", "outputDir", "options", "listener"), trainCodec.parameters.map { it.name })
    }
}
