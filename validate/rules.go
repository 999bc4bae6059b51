package validate

import "sort"

// Rule documents one finding code: its default severity, a title, a one-line
// explanation and a bad and a good example. The registry of rules feeds
// `contractlint rules`, SARIF rule metadata and the README.
type Rule struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	// Group is "routing", "parameters", "body", "response", "limits" or "input".
	Group string `json:"group"`
	Title string `json:"title"`
	Doc   string `json:"doc"`
	Bad   string `json:"bad"`
	Good  string `json:"good"`
}

// The finding codes. Names shared with Microsoft's oav mean the same thing.
const (
	CodeOperationNotFound     = "OPERATION_NOT_FOUND"
	CodeAPIVersionUnsupported = "API_VERSION_NOT_SUPPORTED"
	CodeMethodNotAllowed      = "METHOD_NOT_ALLOWED"
	CodeMissingAPIVersion     = "MISSING_API_VERSION"

	CodeMissingRequiredParameter = "MISSING_REQUIRED_PARAMETER"
	CodePattern                  = "PATTERN"
	CodeInvalidFormat            = "INVALID_FORMAT"
	CodeMaxLength                = "MAX_LENGTH"
	CodeMinLength                = "MIN_LENGTH"
	CodeInvalidType              = "INVALID_TYPE"
	CodeMinimum                  = "MINIMUM"
	CodeMaximum                  = "MAXIMUM"
	CodeEnumMismatch             = "ENUM_MISMATCH"
	CodeEnumCaseMismatch         = "ENUM_CASE_MISMATCH"

	CodeInvalidJSON             = "INVALID_JSON"
	CodeDuplicateKey            = "DUPLICATE_KEY"
	CodeMissingRequiredProperty = "OBJECT_MISSING_REQUIRED_PROPERTY"
	CodeAdditionalProperties    = "OBJECT_ADDITIONAL_PROPERTIES"
	CodeMaxItems                = "ARRAY_LENGTH_LONG"
	CodeMinItems                = "ARRAY_LENGTH_SHORT"
	CodeReadOnlyInRequest       = "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST"
	CodeWriteOnlyInResponse     = "WRITEONLY_PROPERTY_NOT_ALLOWED_IN_RESPONSE"
	CodeSecretProperty          = "SECRET_PROPERTY"

	CodeInvalidResponseCode   = "INVALID_RESPONSE_CODE"
	CodeInvalidResponseHeader = "INVALID_RESPONSE_HEADER"
	CodeInvalidResponseBody   = "INVALID_RESPONSE_BODY"
	CodeInvalidContentType    = "INVALID_CONTENT_TYPE"
	CodeMissingResourceID     = "MISSING_RESOURCE_ID"
	CodeLROResponseCode       = "LRO_RESPONSE_CODE"
	CodeLROResponseHeader     = "LRO_RESPONSE_HEADER"

	CodeBodyTooLarge    = "BODY_TOO_LARGE"
	CodeMaxDepth        = "MAX_DEPTH_EXCEEDED"
	CodeTooManyFindings = "TOO_MANY_FINDINGS"

	CodeInputError          = "INPUT_ERROR"
	CodeInvalidInput        = "INVALID_INPUT"
	CodeUnresolvedOperation = "UNRESOLVED_OPERATION"
	CodeAmbiguousOperation  = "AMBIGUOUS_OPERATION"
)

var rules = []Rule{
	{CodeOperationNotFound, Info, "routing", "No contract for this call",
		"The call addresses a provider or resource type that no loaded contract describes; it is counted as skipped, never silently dropped.",
		`GET /subscriptions/0000/resourcegroups/rg?api-version=2021-04-01`,
		`GET /subscriptions/0000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1?api-version=2022-12-12`},
	{CodeAPIVersionUnsupported, Error, "routing", "api-version not embedded",
		"The resource is covered by a contract, but not at the api-version the call asks for; the message names the api-versions that are embedded.",
		`GET .../Microsoft.Devices/provisioningServices/dps1?api-version=2020-03-01`,
		`GET .../Microsoft.Devices/provisioningServices/dps1?api-version=2022-12-12`},
	{CodeMethodNotAllowed, Error, "routing", "Method not allowed on this path",
		"The path exists at this api-version but the contract declares no operation for the method; the message names the allowed methods.",
		`PATCH .../service/apim1/certificates/cert1?api-version=2024-05-01`,
		`PUT .../service/apim1/certificates/cert1?api-version=2024-05-01`},
	{CodeMissingAPIVersion, Error, "routing", "api-version query parameter missing",
		"Azure Resource Manager selects the contract by the api-version query parameter; the call has none.",
		`GET .../Microsoft.Devices/provisioningServices/dps1`,
		`GET .../Microsoft.Devices/provisioningServices/dps1?api-version=2022-12-12`},

	{CodeMissingRequiredParameter, Error, "parameters", "Required parameter missing",
		"A required path, query or header parameter, or a required request body, is absent or empty.",
		`DELETE .../certificates/cert1?api-version=2022-12-12 (no If-Match header)`,
		`DELETE .../certificates/cert1?api-version=2022-12-12 with If-Match: "AAAAAAAADGk="`},
	{CodePattern, Error, "parameters", "Value does not match the pattern",
		"A string value does not match the ECMA-262 pattern the contract declares.",
		`.../Microsoft.ApiManagement/service/1apim/...`,
		`.../Microsoft.ApiManagement/service/apim1/...`},
	{CodeInvalidFormat, Error, "parameters", "Value does not match its format",
		"A value is not valid for its declared format: uuid, date-time, date-time-rfc1123, byte (base64), int32 or int64 range.",
		`{"properties": {"certificate": "####"}}`,
		`{"properties": {"certificate": "MA=="}}`},
	{CodeMaxLength, Error, "parameters", "String too long",
		"A string is longer than the contract's maxLength.",
		`serviceName of 51 characters`,
		`serviceName of 50 characters or fewer`},
	{CodeMinLength, Error, "parameters", "String too short",
		"A string is shorter than the contract's minLength.",
		`certificateId ""`,
		`certificateId "cert1"`},
	{CodeInvalidType, Error, "body", "Wrong JSON type",
		"A value has a JSON type the schema does not allow (null included, unless the schema is nullable); its children are not checked further.",
		`{"properties": {"isVerified": "yes"}}`,
		`{"properties": {"isVerified": true}}`},
	{CodeMinimum, Error, "parameters", "Number below minimum",
		"A number is below the contract's minimum (or at an exclusive minimum).",
		`$top=0`,
		`$top=10`},
	{CodeMaximum, Error, "parameters", "Number above maximum",
		"A number is above the contract's maximum (or at an exclusive maximum).",
		`{"count": 1000001} with maximum 1000000`,
		`{"count": 10}`},
	{CodeEnumMismatch, Error, "body", "Value not in enum",
		"A value is not one of the enum's values. For extensible enums (x-ms-enum modelAsString: true) the service may add values, so the finding is a warning unless strict enums are on; a close listed value is suggested.",
		`{"properties": {"allocationPolicy": "Hash"}}`,
		`{"properties": {"allocationPolicy": "Hashed"}}`},
	{CodeEnumCaseMismatch, Error, "body", "Enum value differs only in case",
		"A value matches an enum value only when case is ignored.",
		`{"sku": {"name": "s1"}}`,
		`{"sku": {"name": "S1"}}`},

	{CodeInvalidJSON, Error, "body", "Body is not valid JSON",
		"The body cannot be parsed as JSON (or is not valid UTF-8); the message gives the byte offset of the error.",
		`{"location": "eastus",}`,
		`{"location": "eastus"}`},
	{CodeDuplicateKey, Error, "body", "Duplicate object key",
		"An object has the same key twice; parsers disagree on which value wins.",
		`{"location": "eastus", "location": "westus"}`,
		`{"location": "eastus"}`},
	{CodeMissingRequiredProperty, Error, "body", "Required property missing",
		"An object lacks a property its schema requires.",
		`{"properties": {}} (ProvisioningServiceDescription without sku and location)`,
		`{"location": "eastus", "sku": {"name": "S1"}, "properties": {}}`},
	{CodeAdditionalProperties, Error, "body", "Undeclared property",
		"An object has a property its schema does not declare; objects with declared properties are closed, as Azure Resource Manager treats them.",
		`{"properties": {"certificate": "MA==", "colour": "blue"}}`,
		`{"properties": {"certificate": "MA=="}}`},
	{CodeMaxItems, Error, "body", "Array too long",
		"An array has more items than the schema's maxItems.",
		`["a", "b", "c"] with maxItems 2`,
		`["a", "b"]`},
	{CodeMinItems, Error, "body", "Array too short",
		"An array has fewer items than the schema's minItems.",
		`[] with minItems 1`,
		`["a"]`},
	{CodeReadOnlyInRequest, Error, "body", "Read-only property in request",
		"A request body sets a property the contract marks readOnly (or x-ms-mutability without create/update); the service computes it.",
		`{"location": "eastus", "type": "Microsoft.Devices/provisioningServices", ...}`,
		`{"location": "eastus", ...}`},
	{CodeWriteOnlyInResponse, Error, "body", "Write-only property in response",
		"A response body returns a property whose x-ms-mutability lacks read (or that is writeOnly).",
		`{"properties": {"password": "..."}} in a response`,
		`{"properties": {}}`},
	{CodeSecretProperty, Error, "body", "Secret property in response",
		"A response body returns a property marked x-ms-secret; secrets are only returned by dedicated list-secrets operations. The value is never shown.",
		`{"properties": {"primaryKey": "<redacted>"}} from a GET`,
		`{"properties": {}} from a GET`},

	{CodeInvalidResponseCode, Error, "response", "Undeclared status code",
		"The response status is not declared by the operation; a default response covers only 4xx and 5xx.",
		`201 from DpsCertificate_CreateOrUpdate (declares only 200)`,
		`200 from DpsCertificate_CreateOrUpdate`},
	{CodeInvalidResponseHeader, Warning, "response", "Declared response header missing or invalid",
		"A header the response declares (for example ETag) is absent, or its value breaks the header's schema.",
		`200 from Certificate_Get without ETag`,
		`200 from Certificate_Get with ETag: "AAAAAAAADGk="`},
	{CodeInvalidResponseBody, Error, "response", "Response body missing or unexpected",
		"The response declares a body schema but has no body.",
		`200 from Certificate_Get with an empty body`,
		`200 from Certificate_Get with the certificate`},
	{CodeInvalidContentType, Error, "response", "Unexpected content type",
		"A JSON body is sent with a Content-Type the operation does not declare.",
		`Content-Type: text/plain with a JSON body`,
		`Content-Type: application/json; charset=utf-8`},
	{CodeMissingResourceID, Error, "response", "Resource without id",
		"A successful GET, PUT or PATCH returns a resource (x-ms-azure-resource) without its id.",
		`{"name": "cert1", "properties": {...}}`,
		`{"id": "/subscriptions/.../certificates/cert1", "name": "cert1", ...}`},
	{CodeLROResponseCode, Error, "response", "Status not allowed for a long-running operation",
		"A long-running operation answered with a 2xx status its method cannot return under the Azure LRO pattern (PUT/PATCH: 200, 201, 202; DELETE: 200, 202, 204; POST: 200, 201, 202, 204).",
		`PUT (long-running) answered 204`,
		`PUT (long-running) answered 201`},
	{CodeLROResponseHeader, Error, "response", "Long-running 202 without polling header",
		"A 202 from a long-running operation has neither Location nor Azure-AsyncOperation, so the client cannot poll.",
		`202 Accepted with no Location header`,
		`202 Accepted with Azure-AsyncOperation: https://...`},

	{CodeBodyTooLarge, Error, "limits", "Body larger than the limit",
		"A body exceeds the configured maximum size and was not validated.",
		`a 50 MB body with the 10 MB default limit`,
		`a body within the limit`},
	{CodeMaxDepth, Error, "limits", "JSON nested too deeply",
		"A body nests arrays and objects deeper than the configured limit; the part below the limit is not validated.",
		`[[[[...10000 levels...]]]]`,
		`{"properties": {"iotHubs": []}}`},
	{CodeTooManyFindings, Warning, "limits", "Finding limit reached",
		"An exchange produced more findings than the configured maximum; the rest were dropped.",
		`a list response with 10000 broken items`,
		`a list response with valid items`},

	{CodeInputError, Error, "input", "Input cannot be read",
		"A path cannot be read: it does not exist, is not readable, or is a symlink loop.",
		`contractlint lint missing.json`,
		`contractlint lint testdata/payloads`},
	{CodeInvalidInput, Error, "input", "Input is not in a readable format",
		"A file is empty, binary, truncated, or does not have the structure of its format (HAR, recording, example, ...): for example a wrong field type or a body that is not valid base64.",
		`{"log": {"entries": [{"request": 42}]}}`,
		`{"log": {"entries": [{"request": {"method": "GET", "url": "..."}, "response": {...}}]}}`},
	{CodeUnresolvedOperation, Error, "input", "Operation cannot be determined",
		"An example or payload file gives no way to find its operation (no api-version, no matching parameters, no --operation or mapping).",
		`a payload file with no mapping and no --operation`,
		`contractlint lint --operation DpsCertificate_CreateOrUpdate --api-version 2022-12-12 cert.json`},
	{CodeAmbiguousOperation, Error, "input", "Several operations match",
		"An example matches more than one operation; the message lists them. Name the operation with operationId or --operation.",
		`an example with only api-version and subscriptionId`,
		`an example that also has provisioningServiceName and its body parameter`},
}

var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(rules))
	for i, r := range rules {
		m[r.Code] = i
	}
	return m
}()

// Rules returns every rule, sorted by group then code. The slice is a copy.
func Rules() []Rule {
	out := append([]Rule(nil), rules...)
	order := map[string]int{"routing": 0, "parameters": 1, "body": 2, "response": 3, "limits": 4, "input": 5}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return order[out[i].Group] < order[out[j].Group]
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// LookupRule returns the rule for code.
func LookupRule(code string) (Rule, bool) {
	i, ok := ruleIndex[code]
	if !ok {
		return Rule{}, false
	}
	return rules[i], true
}
