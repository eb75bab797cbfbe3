package main

// openDesk opens the store cfg names and builds the desk on it, as main does
// (main opens the handle before its log, then builds the desk).
func openDesk(cfg config) (*desk, error) {
	h, err := openHandle(cfg)
	if err != nil {
		return nil, err
	}
	return newDesk(h, cfg.dataDir), nil
}
