/** Modality plugins found with ServiceLoader and bound with Guice. */
@NullMarked
package dev.transfusion.core.plugin;

import org.jspecify.annotations.NullMarked;
