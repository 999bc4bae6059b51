package lint

import (
	"fmt"
	"strings"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// readPayload reads a bare body: the whole file (after a byte order mark) is
// the body of a request or a response of the operation named by
// opts.Payload. The exchange is BodyOnly. Invalid JSON is left to the
// validator, which reports it with its position. Without an operation the
// exchange carries an UNRESOLVED_OPERATION problem saying what to supply.
func readPayload(data []byte, base Pos, opts *ReadOptions, e *emitter) error {
	x := &Exchange{Pos: base}
	x.BodyOnly = true
	src := BodySource{Kind: BodyRaw, Start: base}
	p := opts.Payload
	unresolved := func(msg string) error {
		x.Problems = append(x.Problems, Problem{Code: validate.CodeUnresolvedOperation, Pos: base, Message: msg})
		e.send(x)
		return nil
	}
	if p.OperationID == "" {
		return unresolved("a bare payload file does not say which operation it belongs to: name the operation and api-version " +
			"(--operation and --api-version) or map the file to one under \"payloads\" in " + ConfigName)
	}
	reg, err := opts.registry()
	if err != nil {
		return &InputError{Code: validate.CodeInputError, Pos: base, Message: err.Error()}
	}
	op, err := reg.Operation(p.OperationID, p.APIVersion)
	if err != nil {
		return unresolved(err.Error())
	}
	x.Operation, x.OperationID, x.APIVersion = op, op.ID, op.Contract.APIVersion
	dir := strings.ToLower(strings.TrimSpace(p.Direction))
	if dir == "" {
		dir = "response"
		if op.Body != nil {
			dir = "request"
		}
	}
	switch dir {
	case "request":
		x.Request = &validate.Request{Method: op.Method, URL: op.Path, Body: data}
		x.RequestBody = src
	case "response":
		status := p.Status
		if status == 0 {
			status = defaultStatus(op)
		}
		x.Response = &validate.Response{StatusCode: status, Body: data}
		x.ResponseBody = src
	default:
		return unresolved(fmt.Sprintf("payload direction %q is neither \"request\" nor \"response\"", p.Direction))
	}
	e.send(x)
	return nil
}

// defaultStatus is the status a response payload is checked against when
// none is given: the operation's first 2xx, else its first declared status,
// else 200.
func defaultStatus(op *spec.Operation) int {
	for _, r := range op.Responses {
		if r.Status >= 200 && r.Status < 300 {
			return r.Status
		}
	}
	if len(op.Responses) > 0 {
		return op.Responses[0].Status
	}
	return 200
}
