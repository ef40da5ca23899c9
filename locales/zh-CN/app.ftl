## Header and navigation

header-backend = 后端：
backend-loading = 加载中
nav-learn = 学习
nav-projects = 我的项目

## Settings

settings-title = 设置
settings-language = 语言
settings-backend = 模型运行在：
settings-backend-auto = 更快的那个（自动测量）
settings-backend-cpu = CPU
settings-backend-webgpu = GPU（WebGPU）
settings-strategy = 学习方式：
settings-strategy-incremental = 记住每一个例子（增量）
settings-strategy-replay = 每个类别随机保留 20 个例子（回放）
settings-strategy-forgetting = 更看重我最新的画（遗忘）

## Loading and status

status-loading = 正在加载模型…
status-ready = 准备好了。后端：{ $reason }
status-load-failed = 模型加载失败：{ $error }
status-still-loading = 模型还在加载，请稍等。

## Backend: why the model runs where it runs

engine-cpu-asked = CPU（按你的设置）
engine-webgpu-asked = WebGPU（按你的设置）
engine-webgpu-unavailable = 你选择了 WebGPU，但这个浏览器不支持，所以改用 CPU
engine-no-webgpu = CPU：这个浏览器不支持 WebGPU
engine-webgpu-failed = CPU：测量时 WebGPU 出错（下次会重新测量）
engine-stopped = 绘图模型已停止（{ $error }），正在重新启动。
engine-gpu-failed = CPU：WebGPU 停止工作，Inkling 已改用 CPU（没有丢失任何内容；下次会重新测量 WebGPU）
engine-verdict = { $backend }：处理 { $drawings } 幅画，WebGPU 用了 { $gpu } 毫秒，CPU 用了 { $cpu } 毫秒
engine-measured-now = { $verdict }（刚刚测得）
engine-measured-earlier = { $verdict }（之前在这台设备上测得）
engine-measuring = 暂时用 CPU，同时测量 WebGPU 是否更快
engine-no-embedding = 没能算出这幅画的特征

# A newer release is cached and ready (src/ui/update_notice.rs).
update-ready = Inkling 的新版本已准备好（离线也能用）。重新加载即可使用；你的作品都会保留。
update-reload = 重新加载
notice-dismiss = 知道了
store-unreadable = 有些已保存的数据无法读取，已原样保留，其余内容都已载入：{ $records }
