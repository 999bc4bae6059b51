package lint

import (
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// Exchange is one request/response pair read from an input file, with what
// is needed to validate it and to place its findings in the file.
type Exchange struct {
	validate.Exchange
	// Index is the 1-based position of the exchange in its file.
	Index int
	// Pos is where the exchange starts in the file (an entry, a record, a
	// request line); findings without a body position are placed here.
	Pos Pos
	// RequestBody and ResponseBody locate the bodies in the file.
	RequestBody  BodySource
	ResponseBody BodySource
	// OperationID and APIVersion, when set by the reader (examples, bare
	// payloads, an explicit operationId), name the operation to validate
	// against instead of routing.
	OperationID string
	APIVersion  string
	// Spots optionally places non-body findings more precisely than Pos:
	// keys are SpotKey(direction, part, name), for example
	// SpotKey(validate.InRequest, validate.PartHeader, "If-Match") for the
	// header's value, or SpotKey(validate.InResponse, validate.PartStatus, "")
	// for the status code.
	Spots map[string]Pos
	// Problems lists what is wrong with the input itself for this exchange
	// (bad base64 body, ambiguous example, ...). An exchange may carry
	// problems and still be validated when it has a request or response.
	Problems []Problem
}

// SpotKey builds the key of Exchange.Spots: direction, part and the
// lower-cased name, separated by colons.
func SpotKey(d validate.Direction, p validate.Part, name string) string {
	return d.String() + ":" + p.String() + ":" + strings.ToLower(name)
}

// Problem is something wrong with the input itself (not with the contract
// compliance of a call): a malformed entry, a body that is not valid base64,
// an ambiguous example. It becomes a finding at Pos.
type Problem struct {
	Code    string // a validate.Code* input code, e.g. validate.CodeInvalidInput
	Message string
	Pos     Pos
}

// FileFinding is a validator finding placed in a file.
type FileFinding struct {
	validate.Finding
	// File is the path as given on the command line, with forward slashes.
	File string `json:"file"`
	// Line and Column are 1-based; both are 1 when a finding concerns the
	// whole file.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Exchange is the 1-based index of the exchange in the file, 0 for
	// findings about the file itself.
	Exchange    int    `json:"exchange,omitempty"`
	OperationID string `json:"operationId"`
	APIVersion  string `json:"apiVersion"`
}
