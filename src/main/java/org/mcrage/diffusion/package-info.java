/**
 * The conditional denoising diffusion model (CDDPM) that MCRAGE uses to synthesise rows for
 * under-represented groups: a noise schedule with the paper's bound on the number of steps, a typed
 * training configuration, an MLP denoiser conditioned on the diffusion step and the group and
 * trained on CPU or GPU with DJL's PyTorch engine, a byte format that Spark ships to executors, and
 * a classifier-free guided ancestral sampler. Nothing here depends on Spark: the job hands in
 * scaled feature rows and group indices and gets plain Java arrays back, and every random draw
 * comes from a Java generator seeded from the configuration so that runs repeat.
 */
package org.mcrage.diffusion;
