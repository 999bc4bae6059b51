package lint

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/contractlint/contractlint/validate"
)

// Options configures a lint run.
type Options struct {
	// Validator checks every exchange; required.
	Validator *validate.Validator
	// Input forces the input format of every file; empty means detect.
	Input Format
	// Payload names the operation of bare payload files (flags); a config
	// mapping matching a file takes precedence.
	Payload PayloadOptions
	// Config holds ignores, payload mappings and severities; may be nil.
	Config *Config
	// Severity overrides and disabled codes, applied to every finding
	// (validator findings and input problems alike).
	Severity map[string]validate.Severity
	Off      map[string]bool
	// Jobs is the number of files read in parallel (default: GOMAXPROCS).
	Jobs int
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Progress, when set, receives a progress line if the run takes more
	// than a second.
	Progress io.Writer
}

// inputExt lists the extensions picked up when walking a directory. Files
// named explicitly are read whatever their extension.
var inputExt = map[string]bool{".json": true, ".har": true, ".http": true, ".rest": true, ".ndjson": true, ".jsonl": true}

// source is one input to read.
type source struct {
	path    string // as displayed: relative, forward slashes; "-" for stdin
	fsPath  string // as opened
	stdin   bool
	walkErr error // the path could not be reached
	empty   bool  // a directory holding no input files
}

type fileResult struct {
	findings []FileFinding
	summary  FileSummary
	matched  int
	skipped  map[string]int
}

// Run lints every path (files, directories walked recursively, "-" for
// stdin) and returns the report. Bad input never stops the run: each problem
// is a finding and every file is accounted for in the summary. Run returns an
// error only when the options are unusable or ctx is cancelled.
func Run(ctx context.Context, paths []string, opts Options) (*Report, error) {
	if opts.Validator == nil {
		return nil, errors.New("lint: no validator")
	}
	sources := collect(paths, opts.Config)
	results := make([]fileResult, len(sources))
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	var done atomic.Int64
	stop := startProgress(opts.Progress, &done, len(sources))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = lintSource(sources[i], &opts)
				done.Add(1)
			}
		}()
	}
feed:
	for i := range sources {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return assemble(results), nil
}

// collect expands the paths into sources, in a deterministic order.
func collect(paths []string, cfg *Config) []source {
	var out []source
	for _, p := range paths {
		if p == "-" {
			out = append(out, source{path: "-", stdin: true})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			out = append(out, source{path: display(p), fsPath: p, walkErr: err})
			continue
		}
		if !info.IsDir() {
			out = append(out, source{path: display(p), fsPath: p})
			continue
		}
		var found []source
		var dirs []string
		walkErr := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, source{path: display(q), fsPath: q, walkErr: err})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if cfg.Ignored(q) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if q != p && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				dirs = append(dirs, q)
				return nil
			}
			if !inputExt[strings.ToLower(filepath.Ext(q))] {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if _, err := os.Stat(q); err != nil {
					found = append(found, source{path: display(q), fsPath: q, walkErr: err})
					return nil
				}
			}
			found = append(found, source{path: display(q), fsPath: q})
			return nil
		})
		if walkErr != nil {
			found = append(found, source{path: display(p), fsPath: p, walkErr: walkErr})
		}
		found = append(found, emptyDirs(dirs, found)...)
		sort.SliceStable(found, func(i, j int) bool { return found[i].fsPath < found[j].fsPath })
		out = append(out, found...)
	}
	return out
}

// emptyDirs returns a source for each walked directory that holds no input
// at any depth, naming only the outermost of nested empty directories, so that
// a directory given to lint never disappears silently.
func emptyDirs(dirs []string, found []source) []source {
	nonEmpty := map[string]bool{}
	for _, f := range found {
		for d := filepath.Dir(f.fsPath); !nonEmpty[d]; d = filepath.Dir(d) {
			nonEmpty[d] = true
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	walked := map[string]bool{}
	for _, d := range dirs {
		walked[d] = true
	}
	var out []source
	for _, d := range dirs {
		if nonEmpty[d] {
			continue
		}
		if parent := filepath.Dir(d); walked[parent] && !nonEmpty[parent] && parent != d {
			continue // the parent is reported instead
		}
		out = append(out, source{path: display(d), fsPath: d, empty: true})
	}
	return out
}

// display renders a path for reports: relative to the working directory when
// it lies below it, with forward slashes.
func display(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
				p = r
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// readers recycles the buffered readers used to sniff each file's format.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 16<<10) }}

// lintSource reads, validates and places the findings of one input.
func lintSource(src source, opts *Options) fileResult {
	res := fileResult{summary: FileSummary{Path: src.path}, skipped: map[string]int{}}
	fileProblem := func(code, msg string, pos Pos, sev validate.Severity) {
		if pos.Line == 0 {
			pos = Pos{Line: 1, Column: 1}
		}
		res.add(opts, FileFinding{Finding: validate.Finding{Code: code, Severity: sev, Offset: -1, Message: msg}, File: src.path, Line: pos.Line, Column: pos.Column})
	}
	switch {
	case src.walkErr != nil:
		msg := ioMessage(src.walkErr)
		res.summary.Error = msg
		fileProblem(validate.CodeInputError, msg, Pos{}, 0)
		return res
	case src.empty:
		res.summary.Error = "no input files (.json, .har, .http, .rest, .ndjson, .jsonl) in this directory"
		fileProblem(validate.CodeInputError, res.summary.Error, Pos{}, validate.Warning)
		return res
	}
	var r io.Reader
	if src.stdin {
		r = opts.Stdin
		if r == nil {
			r = strings.NewReader("")
		}
	} else {
		f, err := os.Open(src.fsPath)
		if err != nil {
			res.summary.Error = ioMessage(err)
			fileProblem(validate.CodeInputError, res.summary.Error, Pos{}, 0)
			return res
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			res.summary.Error = "is a directory"
			fileProblem(validate.CodeInputError, res.summary.Error, Pos{}, 0)
			return res
		}
		r = f
	}
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
	}()
	format := opts.Input
	ropts := ReadOptions{Registry: opts.Validator.Registry(), Name: src.fsPath, Payload: opts.Payload}
	if m, ok := opts.Config.Payload(src.fsPath); ok && !src.stdin {
		format = FormatPayload
		ropts.Payload = PayloadOptions{OperationID: m.Operation, APIVersion: m.APIVersion, Direction: m.Direction, Status: m.Status}
	}
	if format == "" {
		head, _ := br.Peek(8 << 10)
		name := src.fsPath
		if src.stdin {
			name = ""
		}
		format = DetectFormat(name, head)
	}
	res.summary.Format = string(format)
	err := Read(format, br, ropts, func(ex *Exchange) {
		res.summary.Exchanges++
		res.exchange(opts, src.path, ex)
	})
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			res.summary.Error = ie.Message
			fileProblem(ie.Code, ie.Message, ie.Pos, 0)
		} else {
			res.summary.Error = ioMessage(err)
			fileProblem(validate.CodeInputError, res.summary.Error, Pos{}, 0)
		}
	}
	return res
}

func ioMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	if strings.Contains(msg, "too many levels of symbolic links") {
		msg = "symbolic link loop: " + msg
	}
	return msg
}

// exchange validates one exchange and records its findings.
func (res *fileResult) exchange(opts *Options, file string, ex *Exchange) {
	place := func(f validate.Finding, op, ver string) FileFinding {
		ff := FileFinding{Finding: f, File: file, Exchange: ex.Index, OperationID: op, APIVersion: ver}
		pos := ex.Pos
		switch {
		case f.Part == validate.PartBody && f.Offset >= 0:
			src, body := ex.RequestBody, []byte(nil)
			if f.Direction == validate.InResponse {
				src = ex.ResponseBody
				if ex.Response != nil {
					body = ex.Response.Body
				}
			} else if ex.Request != nil {
				body = ex.Request.Body
			}
			if src.Kind != 0 {
				pos = src.Locate(body, f.Offset)
			}
		case ex.Spots != nil:
			if p, ok := ex.Spots[SpotKey(f.Direction, f.Part, f.Name)]; ok {
				pos = p
			} else if p, ok := ex.Spots[SpotKey(validate.InResponse, validate.PartStatus, "")]; ok && f.Direction == validate.InResponse {
				pos = p // a missing response header or body: at the response's status
			}
		}
		if pos.Line == 0 {
			pos = Pos{Line: 1, Column: 1}
		}
		ff.Line, ff.Column = pos.Line, pos.Column
		return ff
	}
	for _, p := range ex.Problems {
		res.add(opts, place(validate.Finding{Code: p.Code, Offset: -1, Message: p.Message}, ex.OperationID, ex.APIVersion))
	}
	if (ex.Request == nil && ex.Response == nil) || (ex.Request == nil && ex.Operation == nil && ex.OperationID == "") {
		return // nothing to validate beyond the input problems
	}
	if ex.Operation == nil && ex.OperationID != "" {
		op, err := opts.Validator.Registry().Operation(ex.OperationID, ex.APIVersion)
		if err != nil {
			res.add(opts, place(validate.Finding{Code: validate.CodeUnresolvedOperation, Offset: -1, Message: err.Error()}, ex.OperationID, ex.APIVersion))
			return
		}
		ex.Operation = op
	}
	r := opts.Validator.Validate(&ex.Exchange)
	if r.OperationID != "" {
		res.matched++
	}
	if r.Skipped {
		res.skipped[r.SkipReason]++
	}
	for _, f := range r.Findings {
		res.add(opts, place(f, r.OperationID, r.APIVersion))
	}
}

// add applies severity overrides and disabled codes, then keeps the finding.
func (res *fileResult) add(opts *Options, f FileFinding) {
	if opts.Off[f.Code] {
		return
	}
	if f.Severity == 0 {
		if r, ok := validate.LookupRule(f.Code); ok {
			f.Severity = r.Severity
		} else {
			f.Severity = validate.Error
		}
	}
	if s, ok := opts.Severity[f.Code]; ok {
		f.Severity = s
	}
	res.findings = append(res.findings, f)
	res.summary.Findings++
}

// assemble merges per-file results into the report, sorted and counted.
func assemble(results []fileResult) *Report {
	rep := &Report{Findings: []FileFinding{}}
	skipped := map[string]int{}
	for _, r := range results {
		rep.Findings = append(rep.Findings, r.findings...)
		rep.Summary.PerFile = append(rep.Summary.PerFile, r.summary)
		rep.Summary.Exchanges += r.summary.Exchanges
		rep.Summary.Matched += r.matched
		for k, n := range r.skipped {
			skipped[k] += n
			rep.Summary.Skipped += n
		}
		if r.summary.Error != "" {
			rep.Summary.FilesWithErrors++
		}
	}
	rep.Summary.Files = len(results)
	rep.Summary.SkipReasons = []SkipReason{}
	for _, k := range sortedKeys(skipped) {
		rep.Summary.SkipReasons = append(rep.Summary.SkipReasons, SkipReason{Reason: k, Count: skipped[k]})
	}
	if rep.Summary.PerFile == nil {
		rep.Summary.PerFile = []FileSummary{}
	}
	for _, f := range rep.Findings {
		switch f.Severity {
		case validate.Error:
			rep.Summary.Errors++
		case validate.Warning:
			rep.Summary.Warnings++
		case validate.Info:
			rep.Summary.Infos++
		}
	}
	order := map[string]int{}
	for i, r := range results {
		if _, ok := order[r.summary.Path]; !ok {
			order[r.summary.Path] = i
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := &rep.Findings[i], &rep.Findings[j]
		if a.File != b.File {
			return order[a.File] < order[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Code < b.Code
	})
	return rep
}

// MaxSeverity returns the highest severity among the report's findings.
func (r *Report) MaxSeverity() validate.Severity {
	var m validate.Severity
	for _, f := range r.Findings {
		if f.Severity > m {
			m = f.Severity
		}
	}
	return m
}

// startProgress prints "checked N/M files" to w every quarter second once
// the run has lasted a second; the returned func stops it and clears the line.
func startProgress(w io.Writer, done *atomic.Int64, total int) func() {
	if w == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		shown := false
		timer := time.NewTimer(time.Second)
		defer timer.Stop()
		select {
		case <-quit:
			return
		case <-timer.C:
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(w, "\rcontractlint: checked %d/%d files", done.Load(), total)
			shown = true
			select {
			case <-quit:
				if shown {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}

// CheckExchange validates a single exchange, read from file, and returns a
// report holding its findings: used by `contractlint validate`.
func CheckExchange(opts Options, file string, ex *Exchange) *Report {
	res := fileResult{summary: FileSummary{Path: file, Format: "exchange", Exchanges: 1}, skipped: map[string]int{}}
	if ex.Index == 0 {
		ex.Index = 1
	}
	res.exchange(&opts, file, ex)
	return assemble([]fileResult{res})
}
