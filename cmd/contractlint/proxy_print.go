package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/contractlint/contractlint/validate"
)

// findingPrinter writes the proxy's findings as they happen, one line each:
//
//	METHOD URL: severity CODE where: message (operationId api-version)
//
// where "where" says which part of which message the finding is about
// ("request body /properties/certificate", "response header ETag") and is
// left out for findings about the call as a whole; or, with json, one object
// per line with the time, method, url, operationId, apiVersion, target and
// the finding's fields.
type findingPrinter struct {
	mu   sync.Mutex
	w    io.Writer
	json bool
}

// proxyFinding is one line of the proxy's JSON output.
type proxyFinding struct {
	Time        string `json:"time"`
	Method      string `json:"method"`
	URL         string `json:"url"`
	OperationID string `json:"operationId"`
	APIVersion  string `json:"apiVersion"`
	Target      string `json:"target"`
	validate.Finding
}

// report is the middleware's validate.ReportFunc.
func (p *findingPrinter) report(r *http.Request, res validate.Result) {
	if len(res.Findings) == 0 {
		return
	}
	if res.Findings[0].Direction == validate.InResponse && r.Context().Err() != nil {
		return // the client went away before the response: nothing was exchanged
	}
	var buf bytes.Buffer
	if p.json {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		now := time.Now().UTC().Format(time.RFC3339Nano)
		for i := range res.Findings {
			f := &res.Findings[i]
			enc.Encode(proxyFinding{Time: now, Method: r.Method, URL: r.RequestURI, OperationID: res.OperationID, APIVersion: res.APIVersion,
				Target: validate.Target(f), Finding: *f})
		}
	} else {
		for i := range res.Findings {
			f := &res.Findings[i]
			buf.WriteString(r.Method + " " + oneLineText(r.RequestURI) + ": " + f.Severity.String() + " " + f.Code + " ")
			if t := validate.Target(f); t != "" {
				buf.WriteString(f.Direction.String() + " " + f.Part.String() + " " + oneLineText(t) + ": ")
			}
			buf.WriteString(oneLineText(f.Message))
			if res.OperationID != "" {
				buf.WriteString(" (" + res.OperationID + " " + res.APIVersion + ")")
			}
			buf.WriteByte('\n')
		}
	}
	p.mu.Lock()
	p.w.Write(buf.Bytes())
	p.mu.Unlock()
}

// oneLineText escapes control characters so that a value cannot break the
// one-finding-per-line output.
func oneLineText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
