/** The main job's outputs for people: the PNG grid of samples and the HTML report. */
@NullMarked
package dev.transfusion.samples.report;

import org.jspecify.annotations.NullMarked;
