@file:JvmName("Curves")

package com.example.curve

import dev.transfusion.api.InvalidInputException
import dev.transfusion.api.ModalityPart
import dev.transfusion.api.Part
import kotlin.math.PI
import kotlin.math.hypot
import kotlin.math.sin

/** The modality name curve parts carry. */
const val MODALITY = "curve"

/** Samples of a curve: one period of frequency 1 spans them all. */
const val SAMPLES = 64

/** The highest frequency a curve of [SAMPLES] samples can hold (Nyquist). */
const val MAX_FREQUENCY = SAMPLES / 2

/**
 * A sine of [frequency] whole periods over the [SAMPLES] samples, peak [amplitude]: the data set's curves.
 * Sample n is `amplitude * sin(2 pi frequency n / 64)`.
 */
fun sine(frequency: Int, amplitude: Double): FloatArray {
    require(frequency in 1 until MAX_FREQUENCY) { "frequency must be 1..${MAX_FREQUENCY - 1}, got $frequency" }
    return FloatArray(SAMPLES) { n -> (amplitude * sin(2 * PI * frequency * n / SAMPLES)).toFloat() }
}

/** A curve as a document part: `ModalityPart("curve", [64], samples)`. */
fun curvePart(samples: FloatArray): ModalityPart = ModalityPart(MODALITY, intArrayOf(samples.size), samples)

/** The samples a curve part carries; anything else is refused, naming what it is. */
fun samplesOf(part: Part): FloatArray {
    if (part !is ModalityPart || part.modality() != MODALITY) {
        throw InvalidInputException("expected a '$MODALITY' part, got a '${part.modality()}' part")
    }
    val shape = part.shape()
    if (shape.size != 1 || shape[0] != SAMPLES) {
        throw InvalidInputException("a '$MODALITY' part has shape [$SAMPLES], got ${shape.contentToString()}")
    }
    return part.values()
}

/**
 * The frequency a curve holds most of: the k in 1..31 whose DFT bin has the largest magnitude. A judge for
 * generated curves: a sine of frequency k reads k.
 */
fun frequencyOf(samples: FloatArray): Int {
    var best = 1
    var bestMagnitude = -1.0
    for (k in 1 until MAX_FREQUENCY) {
        var re = 0.0
        var im = 0.0
        for (n in samples.indices) {
            val angle = 2 * PI * k * n / samples.size
            re += samples[n] * kotlin.math.cos(angle)
            im -= samples[n] * sin(angle)
        }
        val magnitude = hypot(re, im)
        if (magnitude > bestMagnitude) {
            best = k
            bestMagnitude = magnitude
        }
    }
    return best
}
