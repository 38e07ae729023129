import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { AppError } from '@tradelane/http';
import contentDisposition from 'content-disposition';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { formatBytes } from './case-attachment.policy';

type Req = Parameters<ReturnType<ReturnType<typeof multer>['single']>>[0];
type Res = Parameters<ReturnType<ReturnType<typeof multer>['single']>>[1];

/**
 * Reads one multipart upload (field `file`, and the text fields beside it) into memory, no larger
 * than CRM_CASE_ATTACHMENT_MAX_MB: the read stops at the limit, so an oversized upload costs no
 * more than the limit. Runs after the route's permission guard, so nobody unauthorised is read.
 */
@Injectable()
export class CaseAttachmentUpload implements NestInterceptor {
  private readonly read: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(@Inject(CRM_CONFIG) private readonly config: CrmConfig) {
    this.read = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: config.caseAttachmentMaxBytes, files: 1, fields: 4, fieldSize: 20_000, parts: 6 },
    }).single('file');
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = ctx.switchToHttp();
    await new Promise<void>((resolve, reject) =>
      this.read(http.getRequest<Req>(), http.getResponse<Res>(), (err?: unknown) =>
        err ? reject(this.refusal(err)) : resolve(),
      ),
    );
    return next.handle();
  }

  private refusal(err: unknown): Error {
    if (!(err instanceof MulterError)) return err as Error;
    if (err.code === 'LIMIT_FILE_SIZE')
      return new AppError(
        'too-large',
        `file: larger than the ${formatBytes(this.config.caseAttachmentMaxBytes)} allowed (CRM_CASE_ATTACHMENT_MAX_MB)`,
      );
    if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT')
      return new AppError('invalid', `${err.field ?? 'file'}: send one file, in the field "file"`);
    return new AppError('invalid', `${err.field ?? 'upload'}: ${err.message}`);
  }
}

/** A route that takes one file on a case message: the reader and its OpenAPI form. */
export function AttachmentUpload(fields: Record<string, { description: string; enum?: string[] }>) {
  return applyDecorators(
    UseInterceptors(CaseAttachmentUpload),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: {
            type: 'string',
            format: 'binary',
            description:
              'The file: PDF, JPEG/PNG/GIF/WebP/TIFF/HEIC, DOCX/XLSX/ODT/ODS, or UTF-8 text (txt, csv, edi, x12, json, xml); at most CRM_CASE_ATTACHMENT_MAX_MB (10 MB by default). Its type is read from its bytes.',
          },
          ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { type: 'string', ...v }])),
        },
      },
    }),
  );
}

/** The OpenAPI side of a file download. */
export function AttachmentDownload() {
  return applyDecorators(
    ApiProduces('application/octet-stream'),
    ApiOkResponse({
      description:
        'The file, as an attachment (Content-Disposition with its name, the type its bytes were found to be, ETag its SHA-256)',
      schema: { type: 'string', format: 'binary' },
    }),
  );
}

/** The bytes of a file as a download: never shown inline, its name kept, its digest as the ETag. */
export function fileAnswer(
  file: { filename: string; contentType: string; size: number; sha256: string; content: Uint8Array },
  res: { setHeader(name: string, value: string): unknown },
): StreamableFile {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', `"${file.sha256}"`);
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  return new StreamableFile(file.content, {
    type: file.contentType,
    length: file.size,
    // An ASCII name for old clients beside the UTF-8 one (RFC 6266 filename*), so "ä" survives.
    disposition: contentDisposition(file.filename, {
      fallback:
        file.filename
          .normalize('NFKD')
          .replace(/[^\x20-\x7e]/g, '')
          .replace(/"/g, '') || 'file',
    }),
  });
}
