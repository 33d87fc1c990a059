package cli

import "testing"

// The reviewer's embedded COS leaves one CPU to the screen, but always scores.
func TestHeadroomJobs(t *testing.T) {
	for cpus, want := range map[int]int{1: 1, 2: 1, 4: 3, 16: 15} {
		if got := headroomJobs(cpus); got != want {
			t.Errorf("headroomJobs(%d) = %d, want %d", cpus, got, want)
		}
	}
}
