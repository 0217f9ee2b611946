package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"degen/artifacts"
	"degen/stages"
)

// A Session is a loaded configuration and its DAG. Building one reads the
// config and nothing else: a bad config never touches the store.
type Session struct {
	Config     *Config
	Conditions []stages.Condition
	Graph      *Graph
	StoreDir   string
	Salt       string
}

// SessionOptions are the flags every config-reading command shares.
type SessionOptions struct {
	LoadOptions
	Store string // --store; beats DEGEN_STORE, which beats the config
}

// NewSession loads the configuration, expands its studies and builds the DAG.
func NewSession(opt SessionOptions) (*Session, error) {
	cfg, err := Load(opt.LoadOptions)
	if err != nil {
		return nil, err
	}
	return newSession(cfg, storeDir(opt, cfg))
}

// newSession expands a loaded configuration's studies and builds the DAG.
func newSession(cfg *Config, storeDir string) (*Session, error) {
	conds, err := cfg.Conditions()
	if err != nil {
		return nil, err
	}
	g, err := NewGraph(stages.Plan(conds))
	if err != nil {
		return nil, err
	}
	return &Session{Config: cfg, Conditions: conds, Graph: g, StoreDir: storeDir, Salt: Salt()}, nil
}

// StoreDir is the store a session of opt would use, found without building
// its DAG: the configuration is loaded only when neither opt.Store nor
// DEGEN_STORE names the store.
func StoreDir(opt SessionOptions) (string, error) {
	cfg := &Config{}
	if opt.Store == "" && os.Getenv("DEGEN_STORE") == "" {
		var err error
		if cfg, err = Load(opt.LoadOptions); err != nil {
			return "", err
		}
	}
	return storeDir(opt, cfg), nil
}

func storeDir(opt SessionOptions, cfg *Config) string {
	switch {
	case opt.Store != "":
		return opt.Store
	case os.Getenv("DEGEN_STORE") != "":
		return os.Getenv("DEGEN_STORE")
	case filepath.IsAbs(cfg.Store.Dir) || opt.Path == "":
		return cfg.Store.Dir
	}
	return filepath.Join(filepath.Dir(opt.Path), cfg.Store.Dir)
}

// OpenStore opens (creating if needed) the session's store: only commands
// that write call it.
func (s *Session) OpenStore() (*artifacts.Store, error) {
	return artifacts.Open(s.StoreDir)
}

// ExistingStore opens the store only if it already exists; nil, nil if not.
// Read-only commands (plan, status, explain) use it so they create nothing.
func (s *Session) ExistingStore() (*artifacts.Store, error) {
	if _, err := os.Stat(filepath.Join(s.StoreDir, "FORMAT")); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	st, err := artifacts.Open(s.StoreDir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.StoreDir, err)
	}
	return st, nil
}
