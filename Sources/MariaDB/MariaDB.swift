// MariaDB module.
