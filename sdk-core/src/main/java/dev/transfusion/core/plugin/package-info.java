/** Modality plugins found with ServiceLoader and bound with Guice, and data sets found by name. */
@NullMarked
package dev.transfusion.core.plugin;

import org.jspecify.annotations.NullMarked;
