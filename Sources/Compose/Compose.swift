// Compose module.
