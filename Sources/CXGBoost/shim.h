// XGBoost's C API from Debian's libxgboost-dev (1.7.4; no pkg-config file ships, so none is named).
#include <xgboost/c_api.h>
