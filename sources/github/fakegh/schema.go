package fakegh

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// schemaSDL is GitHub's published GraphQL schema (octokit/graphql-schema,
// MIT; see testdata/README.md).
//
//go:embed testdata/schema.graphql
var schemaSDL string

// parsedSchema memoises the parse (about 0.15 s): the schema is immutable
// data compiled once per process, like a regexp.MustCompile at package
// level, not state that travels between tests.
var parsedSchema = sync.OnceValues(func() (*ast.Schema, error) { return loadSchema(schemaSDL) })

// Schema returns GitHub's GraphQL schema, parsed and validated.
func Schema() (*ast.Schema, error) { return parsedSchema() }

// loadSchema parses an SDL document and drops the fields the published
// file defines twice (e.g. EnterpriseOwnerInfo.repositoryDeployKeySetting),
// which a strict validator rejects; the first definition is kept.
func loadSchema(sdl string) (*ast.Schema, error) {
	sd, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "schema.graphql", Input: sdl})
	if err != nil {
		return nil, err
	}
	for _, defs := range []ast.DefinitionList{sd.Definitions, sd.Extensions} {
		for _, def := range defs {
			seen := map[string]bool{}
			keep := def.Fields[:0]
			for _, f := range def.Fields {
				if !seen[f.Name] {
					seen[f.Name] = true
					keep = append(keep, f)
				}
			}
			def.Fields = keep
		}
	}
	s, err := validator.ValidateSchemaDocument(sd)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ValidateQuery parses a GraphQL document and checks it against the
// schema: every field, argument, enum value, fragment type and variable
// type. It returns the parsed document.
func ValidateQuery(schema *ast.Schema, query string) (*ast.QueryDocument, error) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 { // nil: GraphQL's specified rules
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Message
		}
		return nil, errors.New(strings.Join(msgs, "; "))
	}
	return doc, nil
}
