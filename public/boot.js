// Trunk's initializer for the wasm download: a progress bar while the app (and the encoder
// inside it) loads, and the reason in words if it cannot start. Text only, never HTML.
export default function () {
  const bar = () => document.getElementById("boot-progress");
  const say = (text) => {
    const line = document.getElementById("boot-text");
    if (line) line.textContent = text;
  };
  return {
    onStart: () => say("Loading Inkling and its model…"),
    onProgress: ({ current, total }) => {
      const b = bar();
      if (b && total) {
        b.max = total;
        b.value = current;
        say(`Loading Inkling and its model… ${Math.round((100 * current) / total)}%`);
      }
    },
    onComplete: () => {},
    onSuccess: () => {},
    onFailure: (error) => say(`Inkling could not start: ${error}`),
  };
}
