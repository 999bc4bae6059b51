package lint

import (
	"bytes"

	"github.com/contractlint/contractlint/validate"
)

// readNDJSON streams newline-delimited JSON: one record per line, each a
// traffic record (liveRequest/liveResponse) or a HAR entry
// (request/response). Blank lines are skipped. A line that is not valid JSON
// or not a record becomes an exchange carrying an INVALID_INPUT problem at
// that line, and reading goes on with the next line. Memory is bounded by
// the longest line.
func readNDJSON(s *byteStream, opts *ReadOptions, e *emitter) error {
	env := newReadEnv(opts)
	var line []byte
	var arena jsonArena // lines are parsed one at a time
	for {
		start := s.pos
		var ok bool
		line, ok = s.readLine(line[:0])
		if !ok {
			break
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		d, err := parseJSONIn(&arena, line, start, recordTreeDepth)
		if err != nil {
			ie := docSyntaxError(line, start, err)
			e.send(&Exchange{Pos: start, Problems: []Problem{{Code: validate.CodeInvalidInput, Pos: ie.Pos,
				Message: "the line is not a JSON record: " + err.Error()}}})
			continue
		}
		root := d.Root
		switch {
		case root.Kind != jsonObject:
			e.send(&Exchange{Pos: start, Problems: []Problem{{Code: validate.CodeInvalidInput, Pos: d.pos(root.Start),
				Message: "the line holds " + root.Kind.String() + ", expected a traffic record or a HAR entry object"}}})
		case root.member("liveRequest") != nil || root.member("liveResponse") != nil:
			e.send(trafficRecord(d, root, env))
		case root.member("request") != nil || root.member("response") != nil:
			e.send(harEntry(d, env))
		default:
			e.send(&Exchange{Pos: d.pos(root.Start), Problems: []Problem{{Code: validate.CodeInvalidInput, Pos: d.pos(root.Start),
				Message: "the line is neither a traffic record (liveRequest/liveResponse) nor a HAR entry (request/response)"}}})
		}
	}
	if err := s.readErr(); err != nil {
		return s.endErr("")
	}
	return nil
}
