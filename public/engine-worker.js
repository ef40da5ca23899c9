// The engine's worker (src/ui/worker): a wasm of this app run off the page's thread. The page's
// first message is the URL of the build's JavaScript, and for the page's own build its compiled
// module; from then on the wasm takes the messages (`engine_worker_start`). Any failure here, or
// in the wasm later, is thrown as an uncaught error: the page sees it on its Worker object,
// stops this worker and starts another when next needed.
self.addEventListener("unhandledrejection", (event) => {
  throw event.reason;
});
self.addEventListener(
  "message",
  async (event) => {
    const { glue, module, keepGpuDevices } = event.data;
    if (keepGpuDevices) keepDevices();
    const bindings = await import(glue);
    // The page's build comes compiled; the engine build's glue fetches its own wasm.
    await bindings.default(module ? { module_or_path: module } : undefined);
    bindings.engine_worker_start();
  },
  { once: true }
);

// Test hook (the fault suite, when the page keeps `inklingGpuDevices`): keep every WebGPU
// device this worker makes, and destroy them when the page says "destroyGpuDevices", as a
// lost GPU does.
function keepDevices() {
  if (!self.GPUAdapter) return;
  const devices = [];
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    devices.push(device);
    return device;
  };
  self.addEventListener("message", (event) => {
    if (event.data === "destroyGpuDevices") devices.forEach((d) => d.destroy());
  });
}
