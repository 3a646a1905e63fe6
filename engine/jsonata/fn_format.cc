// $formatNumber, $formatBase, $formatInteger, $parseInteger.
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {

void AddFormatFunctions(std::vector<BuiltinSpec>& out) { (void)out; }

}  // namespace fleetflow::jsonata::internal
