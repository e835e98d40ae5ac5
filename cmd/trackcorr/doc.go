// Command trackcorr simulates scenarios, scores tracks against truth and (as the tracker
// lands) runs trackcorr's tracker on recordings and interchange files.
//
// Usage:
//
//	trackcorr simulate [flags]   write a scenario as a recording and/or interchange files
//	trackcorr score [flags]      compute GOSPA, CLEAR MOT and identity metrics of tracks
//
// For example, write the reference scenario family at 1,000 targets for another tracker,
// and score that tracker's output (JSON lines {"t", "id", "status", "x", "P"}):
//
//	trackcorr simulate -targets 1000 -sensors 3 -interchange n1000
//	trackcorr score -tracks other_tracks.jsonl -truth n1000_truth.jsonl -summary s.json -plot gospa.png
//
// Run "trackcorr COMMAND -h" for a command's flags. Errors are printed as one line and the
// exit status is 1 (2 for a usage error).
package main
