/**
 * The stable Transfusion SDK API: documents and their parts, generation options and results, listeners,
 * the {@link dev.transfusion.api.TransfusionModel} and {@link dev.transfusion.api.Trainer} facades, and
 * the {@link dev.transfusion.api.Transfusion} entry point that finds the engine at run time.
 *
 * <p>Nothing here names an engine type; a program that only calls the SDK compiles against this module.
 */
@NullMarked
package dev.transfusion.api;

import org.jspecify.annotations.NullMarked;
