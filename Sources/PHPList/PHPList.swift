// PHPList module.
