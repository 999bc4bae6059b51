package spec

import (
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:generate go run ./gencontracts -specs ../../shared/azure-specs -out contracts

//go:embed contracts
var contractFS embed.FS

// EmbeddedSources lists the embedded contract files, for example
// "contracts/microsoft.devices/2022-12-12.yaml", in lexical order.
func EmbeddedSources() []string {
	var out []string
	_ = fs.WalkDir(contractFS, "contracts", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".yaml" {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// EmbeddedContract returns the raw bytes of an embedded contract file.
func EmbeddedContract(source string) ([]byte, error) {
	return contractFS.ReadFile(source)
}

var embedded = sync.OnceValues(loadEmbedded)

// Embedded returns the registry of the contracts shipped inside contractlint.
// The documents are loaded and validated once per process; a broken embedded
// contract is an error naming the document.
func Embedded() (*Registry, error) { return embedded() }

func loadEmbedded() (*Registry, error) {
	var contracts []*Contract
	for _, src := range EmbeddedSources() {
		c, err := loadEmbeddedContract(src)
		if err != nil {
			return nil, err
		}
		contracts = append(contracts, c)
	}
	return NewRegistry(contracts...)
}

func loadEmbeddedContract(src string) (*Contract, error) {
	data, err := contractFS.ReadFile(src)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromDataWithPath(data, &url.URL{Path: src})
	if err != nil {
		return nil, fmt.Errorf("embedded contract %s: %w", src, err)
	}
	c, err := NewContract(doc, src)
	if err != nil {
		return nil, fmt.Errorf("embedded contract %s: %w", src, err)
	}
	return c, nil
}
