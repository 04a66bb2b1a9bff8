/** English and Korean text of the monitoring export, the Pushgateway and alert settings, and alert banners. */
import { ALERT_TEXT } from '../../shared/alerts/text.ts';

export const monitoringEn = {
  export: {
    action: 'Export monitoring…',
    short: 'Monitoring',
    done: 'Wrote the Grafana dashboard and Prometheus alert rules ({{count}} files) to {{dir}}',
    failed: 'Could not write the monitoring files: {{message}}',
  },
  settings: {
    title: 'Monitoring and alerts',
    pushgatewayUrl: 'Pushgateway URL',
    pushgatewayUrlHint: 'Steps push their metrics to this Prometheus Pushgateway (PIPEWRIGHT_PUSHGATEWAY_URL) on every target.',
    alertsHint: 'Pipewright watches every running step for these. “Stop the run” cancels it to save GPU hours.',
    action: 'When an alert fires',
    nodeAction: 'When an alert on this step fires',
    inherit: 'As the pipeline says',
    notify: 'Notify only',
    cancel: 'Stop the run',
    nonFiniteLoss: 'Loss becomes NaN or infinite',
    lossSpike: 'Loss spikes',
    lossSpikeFactor: 'Spike: times the recent median loss',
    stall: 'No progress',
    stallMinutes: 'No progress for',
    gpuIdle: 'GPUs idle (needs a Prometheus URL in Settings)',
    gpuIdleUtilization: 'GPU idle below',
    gpuIdleMinutes: 'GPU idle for',
    minutes: 'minutes',
    percent: '%',
  },
  app: {
    prometheusUrl: 'Prometheus URL for GPU alerts',
    prometheusUrlHint: 'Where this computer reaches the cluster’s Prometheus (DCGM metrics), e.g. http://localhost:9090. Empty: the GPU idle alert is off.',
    prometheusUrlInvalid: 'Enter an http:// or https:// URL.',
  },
  alert: {
    ...ALERT_TEXT.en,
    dismiss: 'Dismiss',
    showNode: 'Show {{node}}',
    marker: 'Alert',
  },
};

type Leaves<T> = { [K in keyof T]: T[K] extends string ? string : Leaves<T[K]> };

export const monitoringKo: Leaves<typeof monitoringEn> = {
  export: {
    action: '모니터링 내보내기…',
    short: '모니터링',
    done: 'Grafana 대시보드와 Prometheus 알림 규칙({{count}}개 파일)을 {{dir}}에 썼습니다',
    failed: '모니터링 파일을 쓰지 못했습니다: {{message}}',
  },
  settings: {
    title: '모니터링과 알림',
    pushgatewayUrl: 'Pushgateway URL',
    pushgatewayUrlHint: '모든 실행 대상에서 단계가 이 Prometheus Pushgateway로 지표를 보냅니다 (PIPEWRIGHT_PUSHGATEWAY_URL).',
    alertsHint: 'Pipewright가 실행 중인 모든 단계에서 아래 상황을 지켜봅니다. “실행 중지”는 GPU 시간을 아끼려고 실행을 취소합니다.',
    action: '알림이 울리면',
    nodeAction: '이 단계에서 알림이 울리면',
    inherit: '파이프라인 설정대로',
    notify: '알리기만',
    cancel: '실행 중지',
    nonFiniteLoss: '손실이 NaN 또는 무한대가 됨',
    lossSpike: '손실 급등',
    lossSpikeFactor: '급등 기준: 최근 손실 중앙값의 배수',
    stall: '진행 없음',
    stallMinutes: '진행 없음 기준',
    gpuIdle: 'GPU 유휴 (설정에 Prometheus URL 필요)',
    gpuIdleUtilization: 'GPU 유휴 기준 사용률',
    gpuIdleMinutes: 'GPU 유휴 지속 시간',
    minutes: '분',
    percent: '%',
  },
  app: {
    prometheusUrl: 'GPU 알림용 Prometheus URL',
    prometheusUrlHint: '이 컴퓨터에서 클러스터 Prometheus(DCGM 지표)에 닿는 주소, 예: http://localhost:9090. 비워 두면 GPU 유휴 알림이 꺼집니다.',
    prometheusUrlInvalid: 'http:// 또는 https:// URL을 입력하세요.',
  },
  alert: {
    ...ALERT_TEXT.ko,
    dismiss: '닫기',
    showNode: '{{node}} 보기',
    marker: '알림',
  },
};
