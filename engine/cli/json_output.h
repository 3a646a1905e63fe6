#pragma once
// JSON for people and scripts: what the client verbs print.

#include <string>

#include "engine/json/json.h"

namespace fleetflow::cli {

// Indented by four spaces, as the AWS CLI prints.
std::string Pretty(const json::Value& value);

// Reshapes the JSON of an API response into what `aws stepfunctions` prints:
// enum values without their proto prefix ("RUNNING", not
// "EXECUTION_STATUS_RUNNING"), and history events with their details under
// AWS's key ("taskScheduledEventDetails": {...}) instead of details_json.
void AwsShape(json::Value& value);

}  // namespace fleetflow::cli
