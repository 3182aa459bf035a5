package dev.transfusion.api;

/** How an image span is denoised. */
public enum DiffusionSampler {
    /** Ancestral DDPM with the posterior variance, as in the paper (250 steps by default). */
    DDPM,
    /** Deterministic DDIM (eta = 0), any number of steps. */
    DDIM
}
