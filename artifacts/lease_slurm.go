package artifacts

import "os"

// slurmIDs are the Slurm job, array job and array task IDs of this process
// ("" outside Slurm). Like host and pid they describe the process, so a
// lease records them without the caller passing them in.
var slurmIDs = func() (job, arrayJob, arrayTask string) { // Overridden by tests.
	return os.Getenv("SLURM_JOB_ID"), os.Getenv("SLURM_ARRAY_JOB_ID"), os.Getenv("SLURM_ARRAY_TASK_ID")
}
