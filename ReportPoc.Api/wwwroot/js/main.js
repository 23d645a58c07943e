// ReportPoc's page: submit a report both ways, see how long each made you wait, and watch reports move through
// Accepted → Running → Completed on the live board beside the LP system's state. Plain ES modules, no build step.
//
// Modules, by concern: i18n (languages, strings), validation + limits (the server's numbers), form, submission +
// timings, reports (status words), poller, and one module per live panel (board, system-panel, scale-panel; the last
// two share one poll of GET /api/system through system-status). A new panel is a module exporting start…() — its own
// strings, polling through poller.js or subscribing to system-status.js — plus its container in index.html.
import { $ } from './dom.js';
import { addStrings, initLanguage } from './i18n.js';
import { loadLimits } from './limits.js';
import { initForm, showLimitsUnavailable, useLimits } from './form.js';
import { initTimings } from './timings.js';
import { initSubmission } from './submission.js';
import { startBoard, trackSubmitted } from './board.js';
import { startSystemPanel } from './system-panel.js';
import { startScalePanel } from './scale-panel.js';
import { startSystemStatus } from './system-status.js';

addStrings({
  en: {
    'page.title': 'ReportPoc — sync vs async report submission',
    'page.subtitle': 'sync vs async report submission',
    'page.links': 'Links',
    'page.language': 'Language',
    'page.scalar': 'API reference (Scalar)',
    'page.openapi': 'OpenAPI document',
    'page.lede': '<strong>As-is</strong> you wait for DB&nbsp;INSERT → LP&nbsp;setQueue → DB&nbsp;UPDATE → LP&nbsp;LPRUN; '
      + '<strong>via Kafka</strong> the Api answers once the broker has it, and a processor does the work.',
    'page.footer': 'ReportPoc proof of concept · the local Kafka is an in-memory dev broker · traces and metrics are in the Aspire dashboard',
  },
  ko: {
    'page.title': 'ReportPoc — 동기·비동기 보고서 제출 비교',
    'page.subtitle': '동기·비동기 보고서 제출 비교',
    'page.links': '링크',
    'page.language': '언어',
    'page.scalar': 'API 레퍼런스 (Scalar)',
    'page.openapi': 'OpenAPI 문서',
    'page.lede': '<strong>기존 방식</strong>에서는 DB&nbsp;INSERT → LP&nbsp;setQueue → DB&nbsp;UPDATE → LP&nbsp;LPRUN이 모두 끝날 '
      + '때까지 기다려야 합니다. <strong>Kafka 방식</strong>에서는 브로커가 메시지를 받는 즉시 API가 응답하고, 나머지 처리는 '
      + '프로세서가 이어서 합니다.',
    'page.footer': 'ReportPoc 개념 검증(PoC) · 로컬 Kafka는 인메모리 개발용 브로커입니다 · 트레이스와 메트릭은 Aspire 대시보드에서 볼 수 있습니다',
  },
});

initLanguage($('language-toggle'));
initForm();
initTimings();
initSubmission({ onReport: trackSubmitted });
startBoard();
startSystemPanel();
startScalePanel();
startSystemStatus();
loadLimits(showLimitsUnavailable).then(useLimits);
