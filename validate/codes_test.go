package validate

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/contractlint/contractlint/spec"
)

const (
	subID     = "91d12660-3dec-467a-be2a-213b5544a7ec"
	dpsBase   = "/subscriptions/" + subID + "/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps1"
	dpsCert22 = "https://management.azure.com" + dpsBase + "/certificates/cert1?api-version=2022-12-12"
	dpsPut22  = dpsBase + "?api-version=2022-12-12"
	dpsPut18  = dpsBase + "?api-version=2018-01-22"
	apimSvc   = "/subscriptions/" + subID + "/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1"
	apimCert  = apimSvc + "/certificates/cert1?api-version=2024-05-01"
	apimList  = apimSvc + "/certificates?api-version=2024-05-01"
	widget    = "/subscriptions/s1/providers/Contoso.Widgets/widgets/w1?api-version=2030-01-01"
)

const (
	dpsServiceBody = `{"location":"eastus","sku":{"name":"S1","capacity":1},"properties":{"allocationPolicy":"Hashed","state":"Active"}}`
	apimCertBody   = `{"id":"/subscriptions/` + subID + `/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/certificates/cert1","name":"cert1","type":"Microsoft.ApiManagement/service/certificates","properties":{"subject":"CN=contoso.com","thumbprint":"EBA0","expirationDate":"2037-01-01T07:00:00Z"}}`
)

var (
	testValidators sync.Map // options key -> *Validator
	widgetsReg     = sync.OnceValues(func() (*spec.Registry, error) {
		c, err := spec.LoadFile("testdata/contracts/widgets.yaml")
		if err != nil {
			return nil, err
		}
		return spec.NewRegistry(c)
	})
)

func embeddedValidator(t testing.TB, opts ...Option) *Validator {
	t.Helper()
	reg, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(reg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func widgetsValidator(t testing.TB, opts ...Option) *Validator {
	t.Helper()
	reg, err := widgetsReg()
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(reg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func req(method, url, body string, kv ...string) *Request {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return &Request{Method: method, URL: url, Header: h, Body: b}
}

func resp(status int, body string, kv ...string) *Response {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return &Response{StatusCode: status, Header: h, Body: b}
}

// codeCase is one finding code checked both ways: the good exchange has no
// finding with the code, the bad one has exactly one, at the pointer (body)
// or with the name (parameters and headers) given.
type codeCase struct {
	name     string
	code     string
	widgets  bool // use the widgets test contract instead of the embedded ones
	opts     []Option
	good     Exchange
	bad      Exchange
	pointer  string
	param    string
	part     Part
	severity Severity
}

func TestEveryCodeBothWays(t *testing.T) {
	longName := strings.Repeat("c", 257)
	cases := []codeCase{
		// routing
		{name: "no contract", code: CodeOperationNotFound, part: PartRoute, severity: Info,
			good: Exchange{Request: req("GET", dpsPut22, "")},
			bad:  Exchange{Request: req("GET", "/subscriptions/"+subID+"/resourcegroups/rg1?api-version=2021-04-01", "")}},
		{name: "api-version not embedded", code: CodeAPIVersionUnsupported, part: PartRoute, severity: Error,
			good: Exchange{Request: req("GET", dpsPut22, "")},
			bad:  Exchange{Request: req("GET", dpsBase+"?api-version=2020-03-01", "")}},
		{name: "method not allowed", code: CodeMethodNotAllowed, part: PartRoute,
			good: Exchange{Request: req("GET", apimCert, "")},
			bad:  Exchange{Request: req("PATCH", apimCert, "{}")}},
		{name: "no api-version", code: CodeMissingAPIVersion, part: PartRoute,
			good: Exchange{Request: req("GET", dpsPut22, "")},
			bad:  Exchange{Request: req("GET", dpsBase, "")}},

		// parameters
		{name: "If-Match required on DPS certificate delete", code: CodeMissingRequiredParameter, part: PartHeader, param: "If-Match",
			good: Exchange{Request: req("DELETE", dpsCert22, "", "If-Match", `"AAAA"`)},
			bad:  Exchange{Request: req("DELETE", dpsCert22, "")}},
		{name: "If-Match required on DPS verify", code: CodeMissingRequiredParameter, part: PartHeader, param: "If-Match",
			good: Exchange{Request: req("POST", strings.Replace(dpsCert22, "cert1?", "cert1/verify?", 1), `{"certificate":"MA=="}`, "If-Match", "*")},
			bad:  Exchange{Request: req("POST", strings.Replace(dpsCert22, "cert1?", "cert1/verify?", 1), `{"certificate":"MA=="}`)}},
		{name: "required body missing", code: CodeMissingRequiredParameter, part: PartBody, param: "certificateDescription",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, "")}},
		{name: "APIM serviceName pattern", code: CodePattern, part: PartPath, param: "serviceName",
			good: Exchange{Request: req("GET", apimCert, "")},
			bad:  Exchange{Request: req("GET", strings.Replace(apimCert, "/apim1/", "/1apim/", 1), "")}},
		{name: "APIM certificateId pattern", code: CodePattern, part: PartPath, param: "certificateId",
			good: Exchange{Request: req("GET", apimCert, "")},
			bad:  Exchange{Request: req("GET", strings.Replace(apimCert, "/cert1?", "/cert%3A1?", 1), "")}},
		{name: "APIM subscriptionId uuid", code: CodeInvalidFormat, part: PartPath, param: "subscriptionId",
			good: Exchange{Request: req("GET", apimCert, "")},
			bad:  Exchange{Request: req("GET", strings.Replace(apimCert, subID, "not-a-uuid", 1), "")}},
		{name: "DPS certificateName max length", code: CodeMaxLength, part: PartPath, param: "certificateName",
			good: Exchange{Request: req("PUT", strings.Replace(dpsCert22, "cert1", strings.Repeat("c", 256), 1), `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", strings.Replace(dpsCert22, "cert1", longName, 1), `{"properties":{"certificate":"MA=="}}`)}},
		{name: "APIM serviceName max length", code: CodeMaxLength, part: PartPath, param: "serviceName",
			good: Exchange{Request: req("GET", strings.Replace(apimCert, "/apim1/", "/"+strings.Repeat("a", 50)+"/", 1), "")},
			bad:  Exchange{Request: req("GET", strings.Replace(apimCert, "/apim1/", "/"+strings.Repeat("a", 51)+"/", 1), "")}},
		{name: "APIM resourceGroupName min length", code: CodeMinLength, part: PartPath, param: "resourceGroupName",
			good: Exchange{Request: req("GET", apimCert, "")},
			bad:  Exchange{Request: req("GET", strings.Replace(apimCert, "/rg1/", "//", 1), "")}},
		{name: "APIM $top type", code: CodeInvalidType, part: PartQuery, param: "$top",
			good: Exchange{Request: req("GET", apimList+"&$top=10", "")},
			bad:  Exchange{Request: req("GET", apimList+"&$top=ten", "")}},
		{name: "APIM $top minimum", code: CodeMinimum, part: PartQuery, param: "$top",
			good: Exchange{Request: req("GET", apimList+"&$top=1", "")},
			bad:  Exchange{Request: req("GET", apimList+"&$top=0", "")}},
		{name: "APIM $skip minimum", code: CodeMinimum, part: PartQuery, param: "$skip",
			good: Exchange{Request: req("GET", apimList+"&$skip=0", "")},
			bad:  Exchange{Request: req("GET", apimList+"&$skip=-1", "")}},
		{name: "DPS certificate.purpose enum", code: CodeEnumMismatch, part: PartQuery, param: "certificate.purpose", severity: Warning,
			good: Exchange{Request: req("DELETE", dpsCert22+"&certificate.purpose=clientAuthentication", "", "If-Match", "*")},
			bad:  Exchange{Request: req("DELETE", dpsCert22+"&certificate.purpose=codeSigning", "", "If-Match", "*")}},
		{name: "DPS certificate.isVerified boolean", code: CodeInvalidType, part: PartQuery, param: "certificate.isVerified",
			good: Exchange{Request: req("DELETE", dpsCert22+"&certificate.isVerified=true", "", "If-Match", "*")},
			bad:  Exchange{Request: req("DELETE", dpsCert22+"&certificate.isVerified=yes", "", "If-Match", "*")}},
		{name: "DPS certificate.created date-time", code: CodeInvalidFormat, part: PartQuery, param: "certificate.created",
			good: Exchange{Request: req("DELETE", dpsCert22+"&certificate.created=2024-05-01T10:00:00Z", "", "If-Match", "*")},
			bad:  Exchange{Request: req("DELETE", dpsCert22+"&certificate.created=yesterday", "", "If-Match", "*")}},

		// bodies
		{name: "invalid JSON", code: CodeInvalidJSON, part: PartBody, pointer: "/properties",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==",}}`)}},
		{name: "duplicate key", code: CodeDuplicateKey, part: PartBody, pointer: "/properties/certificate",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","certificate":"MQ=="}}`)}},
		{name: "wrong type", code: CodeInvalidType, part: PartBody, pointer: "/properties/isVerified",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","isVerified":true}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","isVerified":"yes"}}`)}},
		{name: "ErrorDetails.code is an integer in 2022", code: CodeInvalidType, part: PartBody, pointer: "/code",
			good: Exchange{Request: req("GET", dpsPut22, ""), Response: resp(404, `{"code":404,"message":"not found"}`)},
			bad:  Exchange{Request: req("GET", dpsPut22, ""), Response: resp(404, `{"code":"NotFound","message":"not found"}`)}},
		{name: "ErrorDetails.code is a string in 2018", code: CodeInvalidType, part: PartBody, pointer: "/code",
			good: Exchange{Request: req("GET", dpsPut18, ""), Response: resp(404, `{"code":"NotFound"}`)},
			bad:  Exchange{Request: req("GET", dpsPut18, ""), Response: resp(404, `{"code":404}`)}},
		{name: "required property", code: CodeMissingRequiredProperty, part: PartBody, pointer: "", param: "location",
			good: Exchange{Request: req("PUT", dpsPut22, dpsServiceBody)},
			bad:  Exchange{Request: req("PUT", dpsPut22, `{"sku":{"name":"S1"},"properties":{}}`)}},
		{name: "required property of an IP filter rule", code: CodeMissingRequiredProperty, part: PartBody, pointer: "/properties/ipFilterRules/0", param: "ipMask",
			good: Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"ipFilterRules":[{"filterName":"f","action":"Accept","ipMask":"10.0.0.0/8"}]}}`)},
			bad:  Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"ipFilterRules":[{"filterName":"f","action":"Accept"}]}}`)}},
		{name: "undeclared property", code: CodeAdditionalProperties, part: PartBody, pointer: "/properties/colour",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","colour":"blue"}}`)}},
		{name: "2018 certificate body is flat", code: CodeAdditionalProperties, part: PartBody, pointer: "/properties",
			good: Exchange{Request: req("PUT", strings.Replace(dpsCert22, "2022-12-12", "2018-01-22", 1), `{"certificate":"MA=="}`)},
			bad:  Exchange{Request: req("PUT", strings.Replace(dpsCert22, "2022-12-12", "2018-01-22", 1), `{"properties":{"certificate":"MA=="}}`)}},
		{name: "closed enum (IP filter action)", code: CodeEnumMismatch, part: PartBody, pointer: "/properties/ipFilterRules/0/action", severity: Error,
			good: Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"ipFilterRules":[{"filterName":"f","action":"Reject","ipMask":"10.0.0.0/8"}]}}`)},
			bad:  Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"ipFilterRules":[{"filterName":"f","action":"Allow","ipMask":"10.0.0.0/8"}]}}`)}},
		{name: "extensible enum (allocation policy) warns", code: CodeEnumMismatch, part: PartBody, pointer: "/properties/allocationPolicy", severity: Warning,
			good: Exchange{Request: req("PUT", dpsPut22, dpsServiceBody)},
			bad:  Exchange{Request: req("PUT", dpsPut22, strings.Replace(dpsServiceBody, "Hashed", "Hash", 1))}},
		{name: "extensible enum is an error with strict enums", code: CodeEnumMismatch, part: PartBody, pointer: "/properties/state", severity: Error,
			opts: []Option{WithStrictEnums(true)},
			good: Exchange{Request: req("PUT", dpsPut22, dpsServiceBody)},
			bad:  Exchange{Request: req("PUT", dpsPut22, strings.Replace(dpsServiceBody, `"Active"`, `"Running"`, 1))}},
		{name: "createdByType enum in systemData", code: CodeEnumMismatch, part: PartBody, pointer: "/systemData/createdByType", severity: Warning,
			good: Exchange{Request: req("GET", dpsPut22, ""), Response: resp(200, `{"id":"x","name":"dps1","location":"eastus","sku":{"name":"S1"},"properties":{},"systemData":{"createdByType":"User"}}`)},
			bad:  Exchange{Request: req("GET", dpsPut22, ""), Response: resp(200, `{"id":"x","name":"dps1","location":"eastus","sku":{"name":"S1"},"properties":{},"systemData":{"createdByType":"Robot"}}`)}},
		{name: "enum case", code: CodeEnumCaseMismatch, part: PartBody, pointer: "/sku/name",
			good: Exchange{Request: req("PUT", dpsPut22, dpsServiceBody)},
			bad:  Exchange{Request: req("PUT", dpsPut22, strings.Replace(dpsServiceBody, `"S1"`, `"s1"`, 1))}},
		{name: "DPS name pattern with lookahead", code: CodePattern, part: PartBody, pointer: "/name",
			good: Exchange{Request: req("GET", dpsPut22, ""), Response: resp(200, `{"id":"x","name":"abc-1","location":"eastus","sku":{"name":"S1"},"properties":{}}`)},
			bad:  Exchange{Request: req("GET", dpsPut22, ""), Response: resp(200, `{"id":"x","name":"123","location":"eastus","sku":{"name":"S1"},"properties":{}}`)}},
		{name: "byte format", code: CodeInvalidFormat, part: PartBody, pointer: "/properties/certificate",
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"####"}}`)}},
		{name: "date-time format", code: CodeInvalidFormat, part: PartBody, pointer: "/properties/expirationDate",
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "ETag", `"1"`)},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(200, strings.Replace(apimCertBody, "2037-01-01T07:00:00Z", "2037-13-01", 1), "ETag", `"1"`)}},
		{name: "date-time-rfc1123 format", code: CodeInvalidFormat, part: PartBody, pointer: "/properties/expiry",
			good: Exchange{Request: req("GET", dpsCert22, ""), Response: resp(200, `{"id":"x","properties":{"expiry":"Sat, 31 Dec 2039 23:59:59 GMT"}}`)},
			bad:  Exchange{Request: req("GET", dpsCert22, ""), Response: resp(200, `{"id":"x","properties":{"expiry":"2039-12-31T23:59:59Z"}}`)}},
		{name: "int32 range", code: CodeInvalidFormat, part: PartBody, pointer: "/properties/iotHubs/0/allocationWeight",
			good: Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"iotHubs":[{"connectionString":"x","location":"eastus","allocationWeight":2147483647}]}}`)},
			bad:  Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"iotHubs":[{"connectionString":"x","location":"eastus","allocationWeight":2147483648}]}}`)}},
		{name: "max length", code: CodeMaxLength, part: PartBody, pointer: "/label", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"abcdefgh"}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"abcdefghi"}`)}},
		{name: "min length counts code points", code: CodeMinLength, part: PartBody, pointer: "/label", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"éé"}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"é"}`)}},
		{name: "minimum", code: CodeMinimum, part: PartBody, pointer: "/size", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","size":1}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","size":0}`)}},
		{name: "exclusive minimum", code: CodeMinimum, part: PartBody, pointer: "/ratio", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","ratio":0.5}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","ratio":0}`)}},
		{name: "maximum", code: CodeMaximum, part: PartBody, pointer: "/size", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","size":10}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","size":11}`)}},
		{name: "max items", code: CodeMaxItems, part: PartBody, pointer: "/colours", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","colours":["red","blue"]}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","colours":["red","blue","green"]}`)}},
		{name: "min items", code: CodeMinItems, part: PartBody, pointer: "/colours", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","colours":["red"]}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","colours":[]}`)}},
		{name: "read-only in request (2018 create)", code: CodeReadOnlyInRequest, part: PartBody, pointer: "/sku/tier",
			good: Exchange{Request: req("PUT", dpsPut18, `{"location":"eastus","sku":{"name":"S1","capacity":1},"properties":{}}`)},
			bad:  Exchange{Request: req("PUT", dpsPut18, `{"location":"eastus","sku":{"name":"S1","tier":"Standard","capacity":1},"properties":{}}`)}},
		{name: "write-only in response", code: CodeWriteOnlyInResponse, part: PartBody, pointer: "/initialPin", widgets: true,
			good: Exchange{Request: req("GET", widget, ""), Response: resp(200, `{"label":"ab"}`)},
			bad:  Exchange{Request: req("GET", widget, ""), Response: resp(200, `{"label":"ab","initialPin":"1234"}`)}},
		{name: "secret in response", code: CodeSecretProperty, part: PartBody, pointer: "/apiKey", widgets: true,
			good: Exchange{Request: req("GET", widget, ""), Response: resp(200, `{"label":"ab"}`)},
			bad:  Exchange{Request: req("GET", widget, ""), Response: resp(200, `{"label":"ab","apiKey":"hunter2hunter2"}`)}},
		{name: "null for an x-nullable false property", code: CodeInvalidType, part: PartBody, pointer: "/note", widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab","owner":null}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab","note":null}`)}},
		{name: "null for a required property", code: CodeInvalidType, part: PartBody, pointer: "/location",
			good: Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"allocationPolicy":null}}`)},
			bad:  Exchange{Request: req("PUT", dpsPut22, `{"location":null,"sku":{"name":"S1"},"properties":{}}`)}},

		// responses
		{name: "undeclared status", code: CodeInvalidResponseCode, part: PartStatus,
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`), Response: resp(200, `{"id":"x","properties":{}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`), Response: resp(201, `{"id":"x","properties":{}}`)}},
		{name: "default covers only 4xx/5xx", code: CodeInvalidResponseCode, part: PartStatus,
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(404, `{"error":{"code":"NotFound"}}`)},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(302, "")}},
		{name: "ETag missing on APIM GET", code: CodeInvalidResponseHeader, part: PartHeader, param: "ETag", severity: Warning,
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "etag", `"AAAA"`)},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody)}},
		{name: "ETag missing on APIM HEAD", code: CodeInvalidResponseHeader, part: PartHeader, param: "ETag", severity: Warning,
			good: Exchange{Request: req("HEAD", apimCert, ""), Response: resp(200, "", "ETag", `"AAAA"`)},
			bad:  Exchange{Request: req("HEAD", apimCert, ""), Response: resp(200, "")}},
		{name: "response body missing", code: CodeInvalidResponseBody, part: PartBody,
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "ETag", "1")},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(200, "", "ETag", "1")}},
		{name: "content type", code: CodeInvalidContentType, part: PartHeader, param: "Content-Type",
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "ETag", "1", "Content-Type", "application/json; charset=utf-8")},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "ETag", "1", "Content-Type", "text/plain")}},
		{name: "resource id", code: CodeMissingResourceID, part: PartBody,
			good: Exchange{Request: req("GET", apimCert, ""), Response: resp(200, apimCertBody, "ETag", "1")},
			bad:  Exchange{Request: req("GET", apimCert, ""), Response: resp(200, strings.Replace(apimCertBody, `"id"`, `"ref"`, 1), "ETag", "1")}},
		{name: "LRO status", code: CodeLROResponseCode, part: PartStatus, widgets: true,
			good: Exchange{Request: req("PUT", widget, `{"label":"ab"}`), Response: resp(200, `{"label":"ab"}`)},
			bad:  Exchange{Request: req("PUT", widget, `{"label":"ab"}`), Response: resp(204, "")}},
		{name: "LRO 202 without polling header (2018 delete)", code: CodeLROResponseHeader, part: PartHeader,
			good: Exchange{Request: req("DELETE", dpsPut18, ""), Response: resp(202, "", "Location", "https://management.azure.com/op")},
			bad:  Exchange{Request: req("DELETE", dpsPut18, ""), Response: resp(202, "")}},

		// limits
		{name: "body size", code: CodeBodyTooLarge, part: PartBody, opts: []Option{WithMaxBodySize(64)},
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"`+strings.Repeat("QUFB", 20)+`"}}`)}},
		{name: "depth", code: CodeMaxDepth, part: PartBody, pointer: "/properties/x/a", opts: []Option{WithMaxDepth(3)},
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA=="}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"x":{"a":{"b":1}}}}`)}},
		{name: "findings cap", code: CodeTooManyFindings, part: PartBody, pointer: "/properties/c", opts: []Option{WithMaxFindings(2)}, severity: Warning,
			good: Exchange{Request: req("PUT", dpsCert22, `{"properties":{"a":1,"b":2}}`)},
			bad:  Exchange{Request: req("PUT", dpsCert22, `{"properties":{"a":1,"b":2,"c":3}}`)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v *Validator
			if tc.widgets {
				v = widgetsValidator(t, tc.opts...)
			} else {
				v = embeddedValidator(t, tc.opts...)
			}
			good := v.Validate(&tc.good)
			for _, f := range good.Findings {
				if f.Code == tc.code {
					t.Errorf("valid exchange reported %s: %s", f.Code, f.Message)
				}
			}
			bad := v.Validate(&tc.bad)
			var got []Finding
			for _, f := range bad.Findings {
				if f.Code == tc.code {
					got = append(got, f)
				}
			}
			if len(got) != 1 {
				t.Fatalf("invalid exchange: want exactly one %s, got %d; all findings: %+v", tc.code, len(got), bad.Findings)
			}
			f := got[0]
			if f.Part != tc.part {
				t.Errorf("part = %v, want %v", f.Part, tc.part)
			}
			if tc.part == PartBody && f.Pointer != tc.pointer {
				t.Errorf("pointer = %q, want %q", f.Pointer, tc.pointer)
			}
			if tc.param != "" && f.Name != tc.param {
				t.Errorf("name = %q, want %q", f.Name, tc.param)
			}
			want := tc.severity
			if want == 0 {
				r, _ := LookupRule(tc.code)
				want = r.Severity
			}
			if f.Severity != want {
				t.Errorf("severity = %v, want %v", f.Severity, want)
			}
			if f.Message == "" {
				t.Error("empty message")
			}
		})
	}
}
