// Bounces module.
