package com.example.curve

import dev.transfusion.api.InvalidInputException
import dev.transfusion.api.Part
import dev.transfusion.api.spi.Latent
import dev.transfusion.api.spi.LatentCodec
import dev.transfusion.api.spi.PatchGeometry

/**
 * The fixed curve codec: the 64 samples laid out row-major as a latent `[1, 4, 16]` (row r holds samples
 * 16 r .. 16 r + 15) and back, cut into 2 x 4 patches (8 patches of 8 values). Nothing to learn, so it has no
 * weights; a real plugin would put an autoencoder here.
 */
class CurveCodec : LatentCodec {

    override fun encode(part: Part): Latent = Latent(1, ROWS, COLUMNS, samplesOf(part))

    /** The curve a latent decodes to, clamped to [-1, 1]; another shape or a NaN is refused by name. */
    override fun decode(latent: Latent): Part {
        if (latent.channels() != 1 || latent.height() != ROWS || latent.width() != COLUMNS) {
            throw InvalidInputException("the curve codec decodes latents [1, $ROWS, $COLUMNS], got " +
                "[${latent.channels()}, ${latent.height()}, ${latent.width()}]")
        }
        val values = latent.values()
        val nan = values.indexOfFirst { it.isNaN() }
        if (nan >= 0) {
            throw InvalidInputException("the curve latent is NaN at row ${nan / COLUMNS}, column ${nan % COLUMNS}")
        }
        return curvePart(FloatArray(values.size) { values[it].coerceIn(-1f, 1f) })
    }

    override fun latentChannels(): Int = 1

    override fun geometry(): PatchGeometry = PATCH

    override fun latentShape(): IntArray = intArrayOf(1, ROWS, COLUMNS)

    companion object {
        /** Latent rows. */
        const val ROWS = 4

        /** Latent columns: [SAMPLES] / [ROWS]. */
        const val COLUMNS = SAMPLES / ROWS

        /** 2 rows x 4 columns. */
        @JvmField
        val PATCH = PatchGeometry(2, 4)
    }
}
