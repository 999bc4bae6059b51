package validate

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// pointerEscaper escapes a key for a JSON pointer (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// ErrorResponse is the Azure Resource Manager error body
// (common-types ErrorResponse): {"error": {"code", "message", "target",
// "details": [...]}}.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is one error of an ErrorResponse. In a rejection, each detail
// is one finding: its code, its message (which never holds a secret value)
// and its target, the JSON pointer into the body or the parameter name.
type ErrorDetail struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Target  string        `json:"target,omitempty"`
	Details []ErrorDetail `json:"details,omitempty"`
}

// MultipleErrorsCode is the top-level code of a rejection with several
// errors, as Azure Resource Manager names it; the details hold each one.
const MultipleErrorsCode = "MultipleErrorsOccurred"

// Target is what a finding is about, as an ARM error target: the JSON
// pointer for a body finding (for a missing required property, the pointer
// where it belongs; the body's name when the body itself is missing), the
// parameter or header name for a path, query or header finding,
// "api-version" for a missing or unsupported api-version, and "" otherwise.
func Target(f *Finding) string {
	switch f.Part {
	case PartBody:
		if f.Code == CodeMissingRequiredProperty && f.Name != "" {
			return f.Pointer + "/" + pointerEscaper.Replace(f.Name)
		}
		if f.Pointer == "" {
			return f.Name
		}
		return f.Pointer
	case PartPath, PartQuery, PartHeader:
		return f.Name
	case PartRoute:
		if f.Code == CodeMissingAPIVersion || f.Code == CodeAPIVersionUnsupported {
			return "api-version"
		}
	}
	return ""
}

// ErrorResponse renders the rejection in the ARM error shape. The details
// list the findings of severity error (all findings when there are none, as
// for a call no contract covers). With one detail the top-level error
// repeats its code and target; with several its code is
// MultipleErrorsOccurred.
func (rej *Rejection) ErrorResponse() ErrorResponse {
	res := &rej.Result
	var details []ErrorDetail
	for pass := 0; pass < 2 && len(details) == 0; pass++ {
		for i := range res.Findings {
			f := &res.Findings[i]
			if pass == 0 && f.Severity < Error {
				continue
			}
			details = append(details, ErrorDetail{Code: f.Code, Message: f.Message, Target: Target(f)})
		}
	}
	var prefix string
	op := ""
	if res.OperationID != "" {
		op = res.OperationID + " (api-version " + res.APIVersion + ")"
	}
	switch {
	case rej.Status == http.StatusRequestEntityTooLarge:
		prefix = "The request body is too large to validate"
	case rej.Status >= 500 && op != "":
		prefix = "The response of " + op + " does not conform to its contract"
	case rej.Status >= 500:
		prefix = "The response does not conform to its contract"
	case res.Skipped:
		prefix = "No contract covers this call"
	case op != "":
		prefix = "The request does not conform to the contract of " + op
	default:
		prefix = "The request does not match any operation of the contracts"
	}
	e := ErrorDetail{Details: details}
	switch len(details) {
	case 0:
		e.Code, e.Message = "InvalidRequest", prefix+"."
		if rej.Status >= 500 {
			e.Code = "InvalidResponse"
		}
	case 1:
		e.Code, e.Target = details[0].Code, details[0].Target
		e.Message = prefix + ": " + details[0].Message
	default:
		e.Code = MultipleErrorsCode
		e.Message = prefix + ": " + strconv.Itoa(len(details)) + " errors; see details."
	}
	return ErrorResponse{Error: e}
}

// WriteRejection is the default ErrorHandler: it writes rej.Status with the
// ARM error body of rej.ErrorResponse, Content-Type application/json and the
// top-level code in the x-ms-error-code header, as Azure Resource Manager
// does.
func WriteRejection(w http.ResponseWriter, r *http.Request, rej *Rejection) {
	er := rej.ErrorResponse()
	body, err := json.Marshal(er)
	if err != nil { // cannot happen: the shape holds only strings
		http.Error(w, http.StatusText(rej.Status), rej.Status)
		return
	}
	body = append(body, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("x-ms-error-code", er.Error.Code)
	w.WriteHeader(rej.Status)
	w.Write(body)
}
