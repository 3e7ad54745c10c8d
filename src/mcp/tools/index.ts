// Every tool `sdd mcp` serves, in the order tools/list gives them.

import type { SddTool } from '../tool.js';
import { contextTool, specTool } from './documents.js';
import { decideTool, fileTaskTool, noteTool } from './record.js';
import { markTool } from './session.js';
import { claimTool, readyTool, showTool, statusTool } from './work.js';

export const SDD_TOOLS: SddTool[] = [
  readyTool,
  showTool,
  claimTool,
  statusTool,
  noteTool,
  decideTool,
  fileTaskTool,
  markTool,
  contextTool,
  specTool,
];
