## Header and navigation

header-backend = Backend:{" "}
backend-loading = loading
nav-learn = Learn
nav-projects = My projects

## Settings

settings-title = Settings
settings-language = Language
settings-backend = Run the model on:{" "}
settings-backend-auto = the faster, measured (auto)
settings-backend-cpu = the CPU
settings-backend-webgpu = the GPU (WebGPU)
settings-strategy = Learning:{" "}
settings-strategy-incremental = Remember every example (incremental)
settings-strategy-replay = Keep a random sample of 20 per class (replay)
settings-strategy-forgetting = Follow my newest drawings (forgetting)

## Loading and status

status-loading = Loading the model…
status-ready = Ready. Backend: { $reason }
status-load-failed = The model could not be loaded: { $error }
status-still-loading = The model is still loading.

## Backend: why the model runs where it runs

engine-cpu-asked = CPU, as asked
engine-webgpu-asked = WebGPU, as asked
engine-webgpu-unavailable = WebGPU was asked for but is not available in this browser; using the CPU
engine-no-webgpu = CPU: this browser offers no WebGPU
engine-webgpu-failed = CPU: WebGPU failed when it was measured (it is measured again next time)
engine-stopped = The drawing model stopped ({ $error }); it is starting again.
engine-gpu-failed = CPU: WebGPU stopped working, so Inkling moved to the CPU (nothing was lost; WebGPU is measured again next time)
engine-verdict = { $backend }: { $gpu } ms on WebGPU vs { $cpu } ms on the CPU for { $drawings } drawings
engine-measured-now = { $verdict } (measured now)
engine-measured-earlier = { $verdict } (measured earlier on this device)
engine-measuring = CPU for now, while WebGPU is measured against it
engine-no-embedding = no embedding

# A newer release is cached and ready (src/ui/update_notice.rs).
update-ready = A new version of Inkling is ready (it works offline too). Reload to use it; your work is kept.
update-reload = Reload
notice-dismiss = OK
store-unreadable = Some saved data could not be read, so it was left as it is and everything else was loaded: { $records }
