#ifndef FACTEUR_CMARIADB_SHIM_H
#define FACTEUR_CMARIADB_SHIM_H
#include <mysql.h>
#include <errmsg.h>
#endif
